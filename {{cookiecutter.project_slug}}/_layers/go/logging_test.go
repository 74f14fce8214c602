package main

import (
	"bytes"
	"strings"
	"testing"
)

// logLines decodes what a logger wrote: one JSON object per line.
func logLines(t *testing.T, logs *bytes.Buffer) []map[string]any {
	t.Helper()
	var entries []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		entry, ok := decode(t, []byte(line)).(map[string]any)
		if !ok {
			t.Fatalf("log line is not a JSON object: %s", line)
		}
		entries = append(entries, entry)
	}
	return entries
}

func TestLoggerWritesOneJSONObjectPerLineWithoutTimestamp(t *testing.T) {
	var logs bytes.Buffer
	NewLogger(&logs, "").Info("greeted", "request_id", "test-request")
	if got := logs.String(); got != `{"level":"INFO","message":"greeted","request_id":"test-request"}`+"\n" {
		t.Fatalf("logged %q", got)
	}
}

func TestLogLevelAboveInfoSilencesInfoLines(t *testing.T) {
	var logs bytes.Buffer
	NewLogger(&logs, "WARN").Info("greeted")
	if logs.Len() != 0 {
		t.Fatalf("LOG_LEVEL=WARN still logged: %q", logs.String())
	}
}
