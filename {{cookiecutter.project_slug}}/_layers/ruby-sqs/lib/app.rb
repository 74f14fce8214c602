# frozen_string_literal: true

require 'json'
require_relative 'app/greeting'
require_relative 'app/log'

# The function behind an SQS queue: each message's JSON body {"name": ...} is greeted, one log line per message.
# A message that cannot be processed fails alone: its id goes into the partial batch response, so SQS
# redelivers only it (the event source mapping needs ReportBatchItemFailures) and, after the queue's
# maxReceiveCount, moves it to the dead-letter queue.
# Lambda loads this file and calls App::Handler.process (the handler 'app.App::Handler.process').
module App
  # The entry point Lambda calls with the decoded event and the invocation context.
  class Handler
    def self.process(event:, context:)
      failed = event['Records'].reject { |record| greeted?(record, context.aws_request_id) }
      { 'batchItemFailures' => failed.map { |record| { 'itemIdentifier' => record['messageId'] } } }
    end

    # Greets one message and logs the outcome; false when the message failed.
    def self.greeted?(record, request_id)
      fields = { 'request_id' => request_id, 'message_id' => record['messageId'] }
      greeting = App.greet(name_in(record['body']))
      App.log('INFO', 'greeted', fields.merge('greeting' => greeting['message']))
      true
    rescue ArgumentError => e
      # A message no retry can fix: logged without a stack, it ends in the dead-letter queue.
      App.log('WARN', 'message rejected', fields.merge('error' => e.message))
      false
    rescue StandardError => e
      App.log_exception('message failed', e, fields)
      false
    end

    # The "name" of a message body that must be a JSON object.
    def self.name_in(body)
      message = JSON.parse(body)
      raise ArgumentError, 'the message body must be a JSON object' unless message.is_a?(Hash)

      message['name']
    rescue JSON::ParserError
      raise ArgumentError, 'the message body is not valid JSON'
    end

    private_class_method :greeted?, :name_in
  end
end
