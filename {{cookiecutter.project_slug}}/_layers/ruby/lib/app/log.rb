# frozen_string_literal: true

require 'json'

# The function's code, whatever invokes it.
module App
  LOG_LEVELS = %w[DEBUG INFO WARN ERROR].freeze

  # One JSON object per line on stdout, the shape CloudWatch Logs Insights queries best, at LOG_LEVEL
  # (INFO by default). A field cannot replace the level, message or logger that every line is queried by.
  def self.log(level, message, fields = {})
    threshold = LOG_LEVELS.index(ENV.fetch('LOG_LEVEL', 'INFO').upcase) || 1
    return if LOG_LEVELS.index(level) < threshold

    entry = { 'level' => level, 'message' => message, 'logger' => 'app' }
    $stdout.puts(JSON.generate(entry.merge(fields.reject { |key, _| entry.key?(key) })))
  end

  # An error line with the exception's class, message and stack trace.
  def self.log_exception(message, error, fields = {})
    log('ERROR', message,
        fields.merge('errorType' => error.class.name, 'errorMessage' => error.message, 'stackTrace' => error.backtrace))
  end
end
