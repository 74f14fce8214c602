package main

// Bare-runtime baseline for Go, copied into the generated project by go-call.sh: one call of the handler,
// as the Lambda binary makes it, without the Runtime API (a Lambda binary cannot start without it).

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
)

func TestBaselineCall(t *testing.T) {
	greeting, err := NewHandler(slog.New(slog.NewJSONHandler(io.Discard, nil)))(context.Background(), Event{Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(greeting)
}
