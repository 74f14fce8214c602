package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func testContext() context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "test-request"})
}

func decode(t *testing.T, data []byte) any {
	t.Helper()
	var value any
	if err := json.Unmarshal(data, &value); err != nil {
		t.Fatalf("not JSON: %v: %s", err, data)
	}
	return value
}

// Every events/NAME.json goes through aws-lambda-go's own decoding and encoding, as in Lambda,
// and must give events/NAME.expected.json.
func TestHandlerAnswersEachSampleEventAsExpected(t *testing.T) {
	events, _ := filepath.Glob(filepath.Join("events", "*.json"))
	cases := 0
	for _, event := range events {
		if strings.HasSuffix(event, ".expected.json") {
			continue
		}
		cases++
		name := strings.TrimSuffix(filepath.Base(event), ".json")
		t.Run(name, func(t *testing.T) {
			payload, err := os.ReadFile(event)
			if err != nil {
				t.Fatal(err)
			}
			expectedJSON, err := os.ReadFile(strings.TrimSuffix(event, ".json") + ".expected.json")
			if err != nil {
				t.Fatalf("no expected answer beside %s: %v", event, err)
			}
			expected := decode(t, expectedJSON).(map[string]any)
			handler := lambda.NewHandler(NewHandler(NewLogger(&bytes.Buffer{}, "INFO")))
			answer, err := handler.Invoke(testContext(), payload)
			if message, wantError := expected["errorMessage"]; wantError {
				if err == nil || err.Error() != message {
					t.Fatalf("want error %q, got %v (answer %s)", message, err, answer)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := decode(t, answer); !reflect.DeepEqual(got, any(expected)) {
				t.Fatalf("want %v, got %v", expected, got)
			}
		})
	}
	if cases == 0 {
		t.Fatal("no sample events in events/")
	}
}

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

func TestHandlerLogsOneJSONLinePerRequest(t *testing.T) {
	var logs bytes.Buffer
	if _, err := NewHandler(NewLogger(&logs, ""))(testContext(), Event{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one log line, got %d: %q", len(lines), logs.String())
	}
	entry := decode(t, []byte(lines[0])).(map[string]any)
	if _, ok := entry["duration_ms"].(float64); !ok {
		t.Fatalf("duration_ms missing or not a number: %v", entry)
	}
	delete(entry, "duration_ms")
	want := map[string]any{"level": "INFO", "message": "greeted", "request_id": "test-request"}
	if !reflect.DeepEqual(entry, want) {
		t.Fatalf("log line = %v, want %v plus duration_ms", entry, want)
	}
}

func TestLogLevelAboveInfoSilencesTheRequestLog(t *testing.T) {
	var logs bytes.Buffer
	if _, err := NewHandler(NewLogger(&logs, "WARN"))(testContext(), Event{}); err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 0 {
		t.Fatalf("LOG_LEVEL=WARN still logged: %q", logs.String())
	}
}
