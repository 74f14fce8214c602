# frozen_string_literal: true

require 'test_helper'

# The schedule handler against every sample event, with no network.
class AppTest < Minitest::Test
  include SampleEvents

  def assert_answer(event, expected)
    capture_io { assert_equal expected, App::Handler.process(event:, context: CONTEXT) }
  end

  def test_logs_the_run_under_the_event_id
    event = { 'id' => 'event-1', 'time' => '2026-11-29T12:00:00Z' }
    out, = capture_io { App::Handler.process(event:, context: CONTEXT) }
    assert_equal({ 'level' => 'INFO', 'message' => 'scheduled run', 'logger' => 'app', 'request_id' => 'test-request',
                   'event_id' => 'event-1', 'scheduled_time' => '2026-11-29T12:00:00Z', 'greeting' => 'Hello, world!' },
                 JSON.parse(out))
  end
end
