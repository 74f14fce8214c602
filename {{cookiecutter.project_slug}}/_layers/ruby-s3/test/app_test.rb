# frozen_string_literal: true

require 'test_helper'

# The S3 handler against every sample notification, with no network.
class AppTest < Minitest::Test
  include SampleEvents

  def assert_answer(event, expected)
    capture_io { assert_equal expected, App::Handler.process(event:, context: CONTEXT) }
  end

  def test_logs_one_json_line_per_object_created
    created = { 'eventName' => 'ObjectCreated:Put',
                's3' => { 'bucket' => { 'name' => 'b' }, 'object' => { 'key' => 'a+b%2Bc', 'size' => 3 } } }
    removed = { 'eventName' => 'ObjectRemoved:Delete',
                's3' => { 'bucket' => { 'name' => 'b' }, 'object' => { 'key' => 'old' } } }
    out, = capture_io { App::Handler.process(event: { 'Records' => [created, removed] }, context: CONTEXT) }
    assert_equal([{ 'level' => 'INFO', 'message' => 'object created', 'logger' => 'app',
                    'request_id' => 'test-request', 'bucket' => 'b', 'key' => 'a b+c', 'size' => 3 }],
                 out.lines.map { |line| JSON.parse(line) })
  end
end
