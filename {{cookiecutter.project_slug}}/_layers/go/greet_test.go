package main

import (
	"errors"
	"testing"
)

func TestGreetAnswersEveryKindOfName(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want string
		err  error
	}{
		{"no name greets the world", nil, "Hello, world!", nil},
		{"empty name greets the world", "", "Hello, world!", nil},
		{"a name is greeted", "Ada", "Hello, Ada!", nil},
		{"unicode passes through", "Zoë 🚀", "Hello, Zoë 🚀!", nil},
		{"a number is refused", 42.0, "", ErrNameNotString},
		{"a list is refused", []any{"Ada"}, "", ErrNameNotString},
		{"a boolean is refused", true, "", ErrNameNotString},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Greet(c.in)
			if !errors.Is(err, c.err) {
				t.Fatalf("Greet(%#v) error = %v, want %v", c.in, err, c.err)
			}
			if got.Message != c.want {
				t.Fatalf("Greet(%#v) = %q, want %q", c.in, got.Message, c.want)
			}
		})
	}
}
