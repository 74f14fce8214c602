package main

import (
	"bytes"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func created(key string) events.S3EventRecord {
	record := events.S3EventRecord{EventName: "ObjectCreated:Put"}
	record.S3.Bucket.Name = "example-bucket"
	record.S3.Object.URLDecodedKey = key
	record.S3.Object.Size = 3
	return record
}

func TestHandlerLogsOneJSONLinePerObjectCreated(t *testing.T) {
	var logs bytes.Buffer
	removed := events.S3EventRecord{EventName: "ObjectRemoved:Delete"}
	event := events.S3Event{Records: []events.S3EventRecord{created("a.txt"), removed, created("b.txt")}}
	answer, err := NewHandler(NewLogger(&logs, ""))(testContext(), event)
	if err != nil {
		t.Fatal(err)
	}
	if len(answer.Processed) != 2 {
		t.Fatalf("want the two objects created, got %v", answer.Processed)
	}
	lines := logLines(t, &logs)
	if len(lines) != 2 {
		t.Fatalf("want one log line per object created, got %d: %q", len(lines), logs.String())
	}
	for i, key := range []string{"a.txt", "b.txt"} {
		line := lines[i]
		if line["message"] != "object created" || line["bucket"] != "example-bucket" || line["key"] != key ||
			line["size"] != 3.0 || line["request_id"] != "test-request" {
			t.Fatalf("log line %d: %v", i, line)
		}
	}
}

func TestAnEventWithoutObjectsCreatedAnswersAnEmptyList(t *testing.T) {
	answer, err := NewHandler(NewLogger(&bytes.Buffer{}, ""))(testContext(), events.S3Event{})
	if err != nil || answer.Processed == nil || len(answer.Processed) != 0 {
		t.Fatalf("want processed: [], got %#v (%v)", answer.Processed, err)
	}
}
