package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestGreetMessageRefusesWhatIsNotAnObjectWithAStringName(t *testing.T) {
	cases := []struct {
		body string
		err  error
	}{
		{`{"name": "Ada"}`, nil},
		{`{}`, nil},
		{`not json at all`, ErrBodyNotJSON},
		{``, ErrBodyNotJSON},
		{`["Ada"]`, ErrBodyNotObject},
		{`"Ada"`, ErrBodyNotObject},
		{`{"name": 42}`, ErrNameNotString},
	}
	for _, c := range cases {
		if _, err := greetMessage(c.body); !errors.Is(err, c.err) {
			t.Errorf("greetMessage(%q) error = %v, want %v", c.body, err, c.err)
		}
	}
}

func TestHandlerLogsOneJSONLinePerMessage(t *testing.T) {
	var logs bytes.Buffer
	event := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "good", Body: `{"name": "Ada"}`},
		{MessageId: "poison", Body: `{"name": 42}`},
	}}
	answer, err := NewHandler(NewLogger(&logs, ""))(testContext(), event)
	if err != nil {
		t.Fatal(err)
	}
	if len(answer.BatchItemFailures) != 1 || answer.BatchItemFailures[0].ItemIdentifier != "poison" {
		t.Fatalf("want only the poison message reported, got %v", answer.BatchItemFailures)
	}
	lines := logLines(t, &logs)
	if len(lines) != 2 {
		t.Fatalf("want one log line per message, got %d: %q", len(lines), logs.String())
	}
	good, poison := lines[0], lines[1]
	if good["level"] != "INFO" || good["message_id"] != "good" || good["greeting"] != "Hello, Ada!" ||
		good["request_id"] != "test-request" {
		t.Fatalf("the greeted message's line: %v", good)
	}
	if poison["level"] != "WARN" || poison["message_id"] != "poison" || poison["error"] != "name must be a string" {
		t.Fatalf("the failed message's line: %v", poison)
	}
}
