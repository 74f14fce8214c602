# frozen_string_literal: true

require 'json'
require 'minitest/autorun'
require 'app'

# What every trigger's tests share: its sample events with their expected answers, and a context.
module SampleEvents
  DIR = File.expand_path('../events', __dir__)
  Context = Struct.new(:aws_request_id, :function_name)
  CONTEXT = Context.new('test-request', 'test')

  # events/NAME.json with events/NAME.expected.json, the answer Lambda must give to it, as [NAME, event, answer].
  def self.all
    paths = Dir.glob(File.join(DIR, '*.json')).reject { |path| path.end_with?('.expected.json') }.sort
    paths.map do |path|
      [File.basename(path, '.json'), read(path), read(path.sub(/\.json\z/, '.expected.json'))]
    end
  end

  def self.read(path)
    JSON.parse(File.read(path, encoding: 'utf-8'))
  end

  # A test class that includes SampleEvents gets one test per sample event, each calling the class's
  # assert_answer(event, expected).
  def self.included(test_class)
    all.each do |name, event, expected|
      test_class.define_method("test_answers_the_#{name.tr('-', '_')}_event_as_expected") do
        assert_answer(event, expected)
      end
    end
  end
end
