# frozen_string_literal: true

require 'test_helper'
require 'app/greeting'
require 'app/log'

# The business logic and the JSON log lines, whatever invokes the function.
class GreetingTest < Minitest::Test
  def test_greets_the_name_given
    assert_equal({ 'message' => 'Hello, Zoë 🚀!' }, App.greet('Zoë 🚀'))
  end

  def test_greets_the_world_without_a_name
    assert_equal({ 'message' => 'Hello, world!' }, App.greet(nil))
    assert_equal({ 'message' => 'Hello, world!' }, App.greet(''))
  end

  def test_rejects_a_name_that_is_not_a_string
    error = assert_raises(ArgumentError) { App.greet(['Ada']) }
    assert_equal 'name must be a string', error.message
  end

  def test_logs_an_exception_with_its_stack_but_keeps_its_own_message
    error = begin
      raise 'boom'
    rescue RuntimeError => e
      e
    end
    out, = capture_io { App.log_exception('failed', error, { 'request_id' => 'r-1', 'message' => 'not this one' }) }
    entry = JSON.parse(out)
    assert_kind_of Array, entry.delete('stackTrace')
    assert_equal({ 'level' => 'ERROR', 'message' => 'failed', 'logger' => 'app', 'request_id' => 'r-1',
                   'errorType' => 'RuntimeError', 'errorMessage' => 'boom' }, entry)
  end

  def test_logs_only_at_or_above_log_level
    out, = capture_io do
      with_log_level('WARN') do
        App.log('INFO', 'quiet')
        App.log('WARN', 'loud')
      end
    end
    assert_equal(['loud'], out.lines.map { |line| JSON.parse(line)['message'] })
  end

  private

  def with_log_level(level)
    previous = ENV.fetch('LOG_LEVEL', nil)
    ENV['LOG_LEVEL'] = level
    yield
  ensure
    ENV['LOG_LEVEL'] = previous
  end
end
