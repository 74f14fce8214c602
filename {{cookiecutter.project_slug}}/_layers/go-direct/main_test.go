package main

import (
	"bytes"
	"reflect"
	"testing"
)

func TestHandlerLogsOneJSONLinePerRequest(t *testing.T) {
	var logs bytes.Buffer
	if _, err := NewHandler(NewLogger(&logs, ""))(testContext(), Event{Name: "Ada"}); err != nil {
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
	want := map[string]any{"level": "INFO", "message": "greeted", "request_id": "test-request"}
	if !reflect.DeepEqual(entry, want) {
		t.Fatalf("log line = %v, want %v plus duration_ms", entry, want)
	}
}
