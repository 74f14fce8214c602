# frozen_string_literal: true

require_relative 'app/greeting'
require_relative 'app/log'

# The function, invoked directly (aws lambda invoke, SDKs, other services): {"name": ...} in, a greeting out.
# Lambda loads this file and calls App::Handler.process (the handler 'app.App::Handler.process').
module App
  # The entry point Lambda calls with the decoded event and the invocation context.
  class Handler
    # Any JSON may be sent: an object's "name" is greeted, anything else greets the world.
    def self.process(event:, context:)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      response = App.greet(event.is_a?(Hash) ? event['name'] : nil)
      took_ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round(3)
      App.log('INFO', 'greeted', { 'request_id' => context.aws_request_id, 'duration_ms' => took_ms })
      response
    end
  end
end
