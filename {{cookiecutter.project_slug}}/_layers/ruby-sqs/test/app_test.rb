# frozen_string_literal: true

require 'minitest/mock'
require 'test_helper'

# The SQS handler against every sample batch, and the cases events cannot show, with no network.
class AppTest < Minitest::Test
  include SampleEvents

  def assert_answer(event, expected)
    capture_io { assert_equal expected, process(event) }
  end

  def process(event)
    App::Handler.process(event:, context: CONTEXT)
  end

  def sqs_record(message_id, body)
    { 'messageId' => message_id, 'body' => body }
  end

  def test_logs_one_json_line_per_message
    out, = capture_io { process({ 'Records' => [sqs_record('m-1', '{"name": "Ada"}'), sqs_record('m-2', '["Ada"]')] }) }
    greeted, rejected = out.lines.map { |line| JSON.parse(line) }
    assert_equal({ 'level' => 'INFO', 'message' => 'greeted', 'logger' => 'app', 'request_id' => 'test-request',
                   'message_id' => 'm-1', 'greeting' => 'Hello, Ada!' }, greeted)
    assert_equal ['WARN', 'm-2', 'the message body must be a JSON object'],
                 rejected.values_at('level', 'message_id', 'error')
  end

  def test_an_unexpected_error_fails_only_its_message_and_is_logged_with_its_stack
    greet_failing_for_grace = ->(name) { name == 'Grace' ? raise('the greeting store is down') : { 'message' => name } }
    batch = { 'Records' => [sqs_record('m-1', '{"name": "Grace"}'), sqs_record('m-2', '{"name": "Ada"}')] }
    answer = nil
    out, = capture_io { App.stub(:greet, greet_failing_for_grace) { answer = process(batch) } }
    assert_equal({ 'batchItemFailures' => [{ 'itemIdentifier' => 'm-1' }] }, answer)
    failed = JSON.parse(out.lines.first)
    assert_equal %w[ERROR m-1 RuntimeError], failed.values_at('level', 'message_id', 'errorType')
    refute_empty failed['stackTrace']
  end
end
