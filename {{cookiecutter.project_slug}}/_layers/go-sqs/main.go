// Command bootstrap is the Lambda function behind an SQS queue: it greets the caller named in each
// message body ({"name": "Ada"}), logs one JSON line per message, and reports the messages it could
// not process so that SQS redelivers only those. aws-lambda-go's lambda.Start speaks the Runtime API
// itself, so the same binary runs on the provided.al2023 base image, on a scratch image and under the
// bare RIE.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// Why a message fails, besides ErrNameNotString.
var (
	ErrBodyNotJSON   = errors.New("the message body is not valid JSON")
	ErrBodyNotObject = errors.New("the message body must be a JSON object")
)

// NewHandler returns the Lambda handler, logging to logger. It answers the partial batch response:
// the ids of the failed messages, in order. The event source mapping needs ReportBatchItemFailures:
// without it Lambda ignores this answer and deletes the whole batch, failed messages included.
func NewHandler(logger *slog.Logger) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, event events.SQSEvent) (events.SQSEventResponse, error) {
		// Empty, not nil: a nil slice encodes as null, and the answer says [] when every message succeeds.
		failures := []events.SQSBatchItemFailure{}
		for _, message := range event.Records {
			started := time.Now()
			greeting, err := greetMessage(message.Body)
			if err != nil {
				logger.WarnContext(ctx, "message failed", "request_id", requestID(ctx),
					"message_id", message.MessageId, "error", err.Error())
				failures = append(failures, events.SQSBatchItemFailure{ItemIdentifier: message.MessageId})
				continue
			}
			logger.InfoContext(ctx, "greeted", "request_id", requestID(ctx), "message_id", message.MessageId,
				"greeting", greeting.Message, "duration_ms", millisecondsSince(started))
		}
		return events.SQSEventResponse{BatchItemFailures: failures}, nil
	}
}

// greetMessage greets the name a message body gives: a JSON object such as {"name": "Ada"}.
func greetMessage(body string) (Greeting, error) {
	var document any
	if err := json.Unmarshal([]byte(body), &document); err != nil {
		return Greeting{}, ErrBodyNotJSON
	}
	fields, ok := document.(map[string]any)
	if !ok {
		return Greeting{}, ErrBodyNotObject
	}
	return Greet(fields["name"])
}

func main() {
	lambda.Start(NewHandler(NewLogger(os.Stderr, os.Getenv("LOG_LEVEL"))))
}
