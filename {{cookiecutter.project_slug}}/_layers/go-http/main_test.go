package main

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestAnUnexpectedErrorIsLoggedAndAnswered500WithoutDetails(t *testing.T) {
	cases := []struct {
		name    string
		greet   func(any) (Greeting, error)
		message string
		stack   bool
	}{
		{"a panic", func(any) (Greeting, error) { panic("the greeting service is down") },
			"the greeting service is down", true},
		{"an error", func(any) (Greeting, error) { return Greeting{}, errors.New("the greeting service is down") },
			"the greeting service is down", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			request := Request{Method: "GET", Path: "/hello", Query: map[string]string{"name": "Ada"}}
			response, err := handler{logger: NewLogger(&logs, ""), greet: c.greet}.handle(testContext(), request)
			if err != nil {
				t.Fatalf("the handler returned an error (a REST API answers 502): %v", err)
			}
			if response.StatusCode != 500 || response.Headers["content-type"] != "application/json" {
				t.Fatalf("want a JSON 500, got %d %v", response.StatusCode, response.Headers)
			}
			if got := decode(t, []byte(response.Body)); !reflect.DeepEqual(got, map[string]any{"error": "internal error"}) {
				t.Fatalf("the body tells the client more than it should: %s", response.Body)
			}
			lines := logLines(t, &logs)
			if len(lines) != 2 || lines[0]["level"] != "ERROR" || lines[0]["error"] != c.message {
				t.Fatalf("want the error logged, then the answer: %v", lines)
			}
			stack, _ := lines[0]["stack"].(string)
			if c.stack && !strings.Contains(stack, "main_test.go") {
				t.Fatalf("the panic's stack, down to where it happened, is not logged: %q", stack)
			}
			if lines[1]["message"] != "answered" || lines[1]["status"] != 500.0 {
				t.Fatalf("the answer is not logged: %v", lines[1])
			}
		})
	}
}

func TestHandlerLogsOneJSONLinePerRequest(t *testing.T) {
	var logs bytes.Buffer
	request := Request{Method: "POST", Path: "/hello", Body: `{"name": "Ada"}`}
	if _, err := NewHandler(NewLogger(&logs, ""))(testContext(), request); err != nil {
		t.Fatal(err)
	}
	lines := logLines(t, &logs)
	if len(lines) != 1 {
		t.Fatalf("want one log line, got %d: %q", len(lines), logs.String())
	}
	entry := lines[0]
	if _, ok := entry["duration_ms"].(float64); !ok {
		t.Fatalf("duration_ms missing or not a number: %v", entry)
	}
	delete(entry, "duration_ms")
	want := map[string]any{"level": "INFO", "message": "answered", "request_id": "test-request",
		"method": "POST", "path": "/hello", "status": 200.0}
	if !reflect.DeepEqual(entry, want) {
		t.Fatalf("log line = %v, want %v plus duration_ms", entry, want)
	}
}

func TestAnEmptyPostBodyStandsForAnEmptyObject(t *testing.T) {
	response, _ := NewHandler(NewLogger(&bytes.Buffer{}, ""))(testContext(), Request{Method: "POST", Path: "/hello"})
	if response.StatusCode != 200 || response.Body != `{"message":"Hello, world!"}` {
		t.Fatalf("got %d %s", response.StatusCode, response.Body)
	}
}
