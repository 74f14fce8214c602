# frozen_string_literal: true

require 'minitest/mock'
require 'test_helper'

# The HTTP handler against every sample event, and the cases events cannot show, with no network.
class AppTest < Minitest::Test
  include SampleEvents

  # A proxy response as API Gateway reads it: header names in any case, the body as parsed JSON, and null
  # fields and "isBase64Encoded": false left out (the emulator test compares answers the same way).
  def as_http_answer(response)
    return response unless response.is_a?(Hash) && response.key?('statusCode')

    answer = response.compact
    answer.delete('isBase64Encoded') if answer['isBase64Encoded'] == false
    answer['headers'] = (answer['headers'] || {}).transform_keys(&:downcase)
    answer['body'] = JSON.parse(answer['body'])
    answer
  end

  def assert_answer(event, expected)
    capture_io { assert_equal as_http_answer(expected), as_http_answer(process(event)) }
  end

  def process(event)
    App::Handler.process(event:, context: CONTEXT)
  end

  # A payload 2.0 request for /hello, its body base64-encoded as function URLs send it.
  def http_api_event(method, body = nil)
    event = { 'version' => '2.0', 'rawPath' => '/hello', 'requestContext' => { 'http' => { 'method' => method } },
              'isBase64Encoded' => !body.nil? }
    event['body'] = [body].pack('m0') if body
    event
  end

  def test_a_post_without_a_body_greets_the_world
    capture_io do
      answer = as_http_answer(process(http_api_event('POST')))
      assert_equal [200, { 'message' => 'Hello, world!' }], answer.values_at('statusCode', 'body')
    end
  end

  def test_a_body_that_is_not_utf8_is_not_valid_json
    capture_io do
      answer = as_http_answer(process(http_api_event('POST', "{\"name\": \"Zo\xEB\"}".b)))
      assert_equal [400, { 'error' => 'the request body is not valid JSON' }], answer.values_at('statusCode', 'body')
    end
  end

  # The answer and the log lines of a GET whose business logic raises.
  def process_with_failing_greet
    response = nil
    out, = capture_io do
      App.stub(:greet, ->(_name) { raise 'the greeting store is down' }) { response = process(http_api_event('GET')) }
    end
    [response, out.lines.map { |line| JSON.parse(line) }]
  end

  def test_an_unexpected_error_is_answered_500_without_its_message_or_stack
    response, = process_with_failing_greet
    assert_equal({ 'statusCode' => 500, 'headers' => { 'content-type' => 'application/json' },
                   'body' => { 'error' => 'internal error' } }, as_http_answer(response))
    refute_includes response['body'], 'store is down'
  end

  def test_an_unexpected_error_is_logged_with_its_stack
    _, (error, answered) = process_with_failing_greet
    assert_equal ['ERROR', 'unexpected error', 'the greeting store is down'],
                 error.values_at('level', 'message', 'errorMessage')
    assert_match(/app_test\.rb/, error['stackTrace'].join("\n"))
    assert_equal ['answered', 500], answered.values_at('message', 'status')
  end

  def test_logs_one_json_line_per_request
    out, = capture_io { process(http_api_event('GET')) }
    entry = JSON.parse(out)
    assert_equal({ 'level' => 'INFO', 'message' => 'answered', 'logger' => 'app', 'request_id' => 'test-request',
                   'status' => 200 }, entry.except('duration_ms'))
  end
end
