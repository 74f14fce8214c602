# frozen_string_literal: true

require_relative 'app/greeting'
require_relative 'app/log'

# The function behind an EventBridge schedule: each run greets the world and logs it under the event's id.
# EventBridge delivers at least once: a redelivered run has the same event id, so the log shows it.
# Lambda loads this file and calls App::Handler.process (the handler 'app.App::Handler.process').
module App
  # The entry point Lambda calls with the decoded event and the invocation context.
  class Handler
    def self.process(event:, context:)
      run = { 'eventId' => event['id'], 'scheduledTime' => event['time'], 'message' => App.greet(nil)['message'] }
      App.log('INFO', 'scheduled run', { 'request_id' => context.aws_request_id, 'event_id' => run['eventId'],
                                         'scheduled_time' => run['scheduledTime'], 'greeting' => run['message'] })
      run
    end
  end
end
