# frozen_string_literal: true

require 'test_helper'

# The direct handler against every sample event, with no network and no emulator.
class AppTest < Minitest::Test
  include SampleEvents

  def assert_answer(event, expected)
    if expected.key?('errorMessage')
      # Lambda answers an exception raised by the handler with its message.
      error = assert_raises(StandardError) { capture_io { App::Handler.process(event:, context: CONTEXT) } }
      assert_equal expected['errorMessage'], error.message
    else
      capture_io { assert_equal expected, App::Handler.process(event:, context: CONTEXT) }
    end
  end

  def test_there_are_sample_events_to_answer
    refute_empty SampleEvents.all
  end

  def test_greets_the_world_when_the_event_is_not_an_object
    [nil, 'Ada', ['Ada']].each do |event|
      capture_io { assert_equal({ 'message' => 'Hello, world!' }, App::Handler.process(event:, context: CONTEXT)) }
    end
  end

  def test_logs_one_json_line_per_request
    out, = capture_io { App::Handler.process(event: { 'name' => 'Ada' }, context: CONTEXT) }
    lines = out.lines
    assert_equal 1, lines.size
    entry = JSON.parse(lines.first)
    assert_equal({ 'level' => 'INFO', 'message' => 'greeted', 'logger' => 'app', 'request_id' => 'test-request' },
                 entry.except('duration_ms'))
    assert_kind_of Numeric, entry['duration_ms']
  end
end
