// Command bootstrap is the Lambda function, invoked directly (aws lambda invoke, an SDK, another
// service): it greets the caller named in the event and logs one JSON line per request.
// aws-lambda-go's lambda.Start speaks the Runtime API itself, so the same binary runs on the
// provided.al2023 base image, on a scratch image and under the bare RIE.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

// Event is the function's input. Name stays untyped so that a non-string name gets the function's
// own error, not a JSON decoding error.
type Event struct {
	Name any `json:"name"`
}

// NewHandler returns the Lambda handler, logging to logger.
func NewHandler(logger *slog.Logger) func(context.Context, Event) (Greeting, error) {
	return func(ctx context.Context, event Event) (Greeting, error) {
		started := time.Now()
		greeting, err := Greet(event.Name)
		if err != nil {
			return Greeting{}, err
		}
		logger.InfoContext(ctx, "greeted", "request_id", requestID(ctx), "duration_ms", millisecondsSince(started))
		return greeting, nil
	}
}

func main() {
	lambda.Start(NewHandler(NewLogger(os.Stderr, os.Getenv("LOG_LEVEL"))))
}
