# frozen_string_literal: true

require 'uri'
require_relative 'app/log'

# The function behind S3 notifications: each object created is logged and listed with its bucket, key and size.
# Lambda loads this file and calls App::Handler.process (the handler 'app.App::Handler.process').
module App
  # The entry point Lambda calls with the decoded event and the invocation context.
  class Handler
    def self.process(event:, context:)
      # Other notifications (ObjectRemoved:*, ...) are not this function's job.
      created = event['Records'].select { |record| record['eventName'].start_with?('ObjectCreated:') }
      processed = created.map do |record|
        object = created_object(record['s3'])
        App.log('INFO', 'object created', { 'request_id' => context.aws_request_id }.merge(object))
        object
      end
      { 'processed' => processed }
    end

    def self.created_object(entity)
      { 'bucket' => entity['bucket']['name'],
        # Keys arrive URL-encoded, a space as "+": "My+Holiday+%C3%A9t%C3%A9.txt" is "My Holiday été.txt".
        'key' => URI.decode_www_form_component(entity['object']['key']),
        'size' => entity['object']['size'] }
    end

    private_class_method :created_object
  end
end
