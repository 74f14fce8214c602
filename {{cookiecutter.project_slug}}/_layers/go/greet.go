package main

import "errors"

// Greeting is the business logic's answer: {"message": "Hello, NAME!"}.
type Greeting struct {
	Message string `json:"message"`
}

// ErrNameNotString is returned when the caller is named with something other than a string.
var ErrNameNotString = errors.New("name must be a string")

// Greet is the business logic, free of Lambda types so that it is trivial to test. The name arrives
// untyped, as decoded from JSON, so that a non-string name gets this error, not a decoding one.
func Greet(name any) (Greeting, error) {
	switch name := name.(type) {
	case nil:
		return Greeting{Message: "Hello, world!"}, nil
	case string:
		if name == "" {
			name = "world"
		}
		return Greeting{Message: "Hello, " + name + "!"}, nil
	default:
		return Greeting{}, ErrNameNotString
	}
}
