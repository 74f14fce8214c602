# frozen_string_literal: true

require 'json'

# The function: greets the caller named in the event and logs one JSON line per request.
# Lambda loads this file and calls App::Handler.process (the handler 'app.App::Handler.process').
module App
  LOG_LEVELS = %w[DEBUG INFO WARN ERROR].freeze

  # The business logic, free of Lambda types so that it is trivial to test.
  def self.greet(name)
    name = 'world' if name.nil? || name == ''
    raise ArgumentError, 'name must be a string' unless name.is_a?(String)

    { 'message' => "Hello, #{name}!" }
  end

  # One JSON object per line on stdout, the shape CloudWatch Logs Insights queries best.
  def self.log(level, message, fields = {})
    threshold = LOG_LEVELS.index(ENV.fetch('LOG_LEVEL', 'INFO').upcase) || 1
    return if LOG_LEVELS.index(level) < threshold

    $stdout.puts(JSON.generate({ 'level' => level, 'message' => message, 'logger' => 'app' }.merge(fields)))
  end

  # The entry point Lambda calls with the decoded event and the invocation context.
  class Handler
    def self.process(event:, context:)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      event = {} unless event.is_a?(Hash)
      response = App.greet(event['name'])
      took_ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round(3)
      App.log('INFO', 'greeted', { 'request_id' => context.aws_request_id, 'duration_ms' => took_ms })
      response
    end
  end
end
