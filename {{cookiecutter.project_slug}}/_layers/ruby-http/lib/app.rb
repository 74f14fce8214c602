# frozen_string_literal: true

require 'json'
require_relative 'app/greeting'
require_relative 'app/log'

# The function behind HTTP: API Gateway HTTP APIs and function URLs (payload 2.0) and REST APIs (payload 1.0).
# GET /hello?name=Ada and POST /hello with {"name": "Ada"} greet Ada. Every answer is a proxy response with a
# JSON body: {"message": ...}, or {"error": ...} for a request that fails.
# Lambda loads this file and calls App::Handler.process (the handler 'app.App::Handler.process').
module App
  # The entry point Lambda calls with the decoded event and the invocation context.
  class Handler
    ROUTE = '/hello'
    ALLOWED_METHODS = 'GET, POST'
    NOT_JSON = 'the request body is not valid JSON'

    # A request the caller must fix: answered 400 with this message.
    class BadRequest < StandardError; end

    def self.process(event:, context:)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      response = answer_to(event, context)
      took_ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round(3)
      App.log('INFO', 'answered',
              { 'request_id' => context.aws_request_id, 'status' => response['statusCode'], 'duration_ms' => took_ms })
      response
    end

    def self.answer_to(event, context)
      route(*read_request(event))
    rescue BadRequest => e
      answer(400, { 'error' => e.message })
    rescue StandardError => e
      # The stack goes to the log only: a caller learns nothing of the code from an error.
      App.log_exception('unexpected error', e, { 'request_id' => context.aws_request_id })
      answer(500, { 'error' => 'internal error' })
    end

    # The method, path, query parameters and body (base64 decoded) of either payload format.
    def self.read_request(event)
      method, path = if event['version'] == '2.0'
                       [event.dig('requestContext', 'http', 'method'), event['rawPath']]
                     else
                       [event['httpMethod'], event['path']]
                     end
      body = event['body'] || ''
      # Function URLs send most bodies base64-encoded; API Gateway does for binary media types.
      body = body.unpack1('m').force_encoding(Encoding::UTF_8) if event['isBase64Encoded']
      [method, path, event['queryStringParameters'] || {}, body]
    end

    def self.route(method, path, query, body)
      return answer(404, { 'error' => 'not found' }) unless path == ROUTE

      case method
      when 'GET' then greeting(query['name'])
      when 'POST' then greeting(json_object(body)['name'])
      else answer(405, { 'error' => 'method not allowed' }, { 'allow' => ALLOWED_METHODS })
      end
    end

    def self.greeting(name)
      answer(200, App.greet(name))
    rescue ArgumentError => e
      raise BadRequest, e.message
    end

    # The request body as a JSON object; no body at all is an empty one.
    def self.json_object(body)
      return {} if body.empty?
      raise BadRequest, NOT_JSON unless body.valid_encoding?

      parsed = JSON.parse(body)
      raise BadRequest, 'the request body must be a JSON object' unless parsed.is_a?(Hash)

      parsed
    rescue JSON::ParserError
      raise BadRequest, NOT_JSON
    end

    def self.answer(status, payload, headers = {})
      { 'statusCode' => status,
        'headers' => { 'content-type' => 'application/json' }.merge(headers),
        'body' => JSON.generate(payload) }
    end

    private_class_method :answer_to, :read_request, :route, :greeting, :json_object, :answer
  end
end
