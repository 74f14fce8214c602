# frozen_string_literal: true

require 'json'
require 'minitest/autorun'
require 'app'

# Unit tests: the handler against every sample event, with no network and no emulator.
class AppTest < Minitest::Test
  EVENTS = File.expand_path('../events', __dir__)
  Context = Struct.new(:aws_request_id, :function_name)
  CONTEXT = Context.new('test-request', 'test')

  def self.sample_events
    Dir.glob(File.join(EVENTS, '*.json')).reject { |path| path.end_with?('.expected.json') }.sort
  end

  sample_events.each do |event_file|
    name = File.basename(event_file, '.json')
    define_method("test_handler_answers_the_#{name.tr('-', '_')}_event_as_expected") do
      event = JSON.parse(File.read(event_file, encoding: 'utf-8'))
      expected = JSON.parse(File.read(event_file.sub(/\.json\z/, '.expected.json'), encoding: 'utf-8'))
      if expected.key?('errorMessage')
        error = assert_raises(StandardError) { capture_io { App::Handler.process(event:, context: CONTEXT) } }
        assert_equal expected['errorMessage'], error.message
      else
        capture_io { assert_equal expected, App::Handler.process(event:, context: CONTEXT) }
      end
    end
  end

  def test_there_are_sample_events_to_answer
    refute_empty self.class.sample_events
  end

  def test_greets_world_when_name_is_empty
    assert_equal({ 'message' => 'Hello, world!' }, App.greet(''))
  end

  def test_rejects_a_name_that_is_not_a_string
    error = assert_raises(ArgumentError) { App.greet(['Ada']) }
    assert_equal 'name must be a string', error.message
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
