# frozen_string_literal: true

# The function's code, whatever invokes it.
module App
  # The business logic, free of Lambda types so that every trigger's handler shares it and tests stay trivial.
  # A missing or empty name greets the world; a name that is not text is an ArgumentError.
  def self.greet(name)
    name = 'world' if name.nil? || name == ''
    raise ArgumentError, 'name must be a string' unless name.is_a?(String)

    { 'message' => "Hello, #{name}!" }
  end
end
