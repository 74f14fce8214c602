package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestScheduledTimeIsRepeatedExactlyAsSent(t *testing.T) {
	var event ScheduledEvent
	sent := `{"id": "run-1", "detail-type": "Scheduled Event", "time": "2026-11-29T12:00:00.000+00:00"}`
	if err := json.Unmarshal([]byte(sent), &event); err != nil {
		t.Fatal(err)
	}
	run, err := NewHandler(NewLogger(&bytes.Buffer{}, ""))(testContext(), event)
	if err != nil || run.ScheduledTime != "2026-11-29T12:00:00.000+00:00" {
		t.Fatalf("scheduledTime = %q (%v), want the time as sent", run.ScheduledTime, err)
	}
}

func TestHandlerLogsOneJSONLineKeyedByTheEventID(t *testing.T) {
	var logs bytes.Buffer
	var event ScheduledEvent
	event.ID, event.DetailType, event.Time = "run-1", "Scheduled Event", "2026-11-29T12:00:00Z"
	if _, err := NewHandler(NewLogger(&logs, ""))(testContext(), event); err != nil {
		t.Fatal(err)
	}
	lines := logLines(t, &logs)
	if len(lines) != 1 || lines[0]["event_id"] != "run-1" || lines[0]["scheduled_time"] != "2026-11-29T12:00:00Z" ||
		lines[0]["request_id"] != "test-request" {
		t.Fatalf("want one line keyed by the event id, got %q", logs.String())
	}
}

func TestAnEventThatIsNotAScheduledEventIsRefused(t *testing.T) {
	var event ScheduledEvent
	event.ID, event.DetailType = "x", "Object Created"
	_, err := NewHandler(NewLogger(&bytes.Buffer{}, ""))(testContext(), event)
	if err == nil || err.Error() != `expected an EventBridge "Scheduled Event", got detail-type "Object Created"` {
		t.Fatalf("got %v", err)
	}
}
