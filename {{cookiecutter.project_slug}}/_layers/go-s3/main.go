// Command bootstrap is the Lambda function behind an S3 bucket's notifications: for each object
// created it logs one JSON line and reports the bucket, the key and the size; other records (an
// object removed, restored...) are skipped. aws-lambda-go's lambda.Start speaks the Runtime API
// itself, so the same binary runs on the provided.al2023 base image, on a scratch image and under the
// bare RIE.
package main

import (
	"context"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// Object is what the function reports of an object created.
type Object struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
	Size   int64  `json:"size"`
}

// Answer lists the objects processed, in the order of the event's records.
type Answer struct {
	Processed []Object `json:"processed"`
}

// NewHandler returns the Lambda handler, logging to logger.
func NewHandler(logger *slog.Logger) func(context.Context, events.S3Event) (Answer, error) {
	return func(ctx context.Context, event events.S3Event) (Answer, error) {
		processed := []Object{} // [] rather than null when no record is an object created
		for _, record := range event.Records {
			if !strings.HasPrefix(record.EventName, "ObjectCreated:") {
				logger.DebugContext(ctx, "skipped", "request_id", requestID(ctx), "event_name", record.EventName)
				continue
			}
			// S3 sends the key URL-encoded ('+' for a space); aws-lambda-go decodes it into URLDecodedKey.
			object := Object{Bucket: record.S3.Bucket.Name, Key: record.S3.Object.URLDecodedKey, Size: record.S3.Object.Size}
			logger.InfoContext(ctx, "object created", "request_id", requestID(ctx), "event_name", record.EventName,
				"bucket", object.Bucket, "key", object.Key, "size", object.Size)
			processed = append(processed, object)
		}
		return Answer{Processed: processed}, nil
	}
}

func main() {
	lambda.Start(NewHandler(NewLogger(os.Stderr, os.Getenv("LOG_LEVEL"))))
}
