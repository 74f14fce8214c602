// Command bootstrap is the Lambda function: it greets the caller named in the event and logs one
// JSON line per request. aws-lambda-go's lambda.Start speaks the Runtime API itself, so the same
// binary runs on the provided.al2023 base image, on a scratch image and under the bare RIE.
package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Event is the function's input. Name stays untyped so that a non-string name gets the function's
// own error, not a JSON decoding error.
type Event struct {
	Name any `json:"name"`
}

// Response is the function's output.
type Response struct {
	Message string `json:"message"`
}

// ErrNameNotString is returned when the event names the caller with something other than a string.
var ErrNameNotString = errors.New("name must be a string")

// Greet is the business logic, free of Lambda types so that it is trivial to test.
func Greet(name any) (Response, error) {
	switch name := name.(type) {
	case nil:
		return Response{Message: "Hello, world!"}, nil
	case string:
		if name == "" {
			name = "world"
		}
		return Response{Message: "Hello, " + name + "!"}, nil
	default:
		return Response{}, ErrNameNotString
	}
}

// NewHandler returns the Lambda handler, logging to logger.
func NewHandler(logger *slog.Logger) func(context.Context, Event) (Response, error) {
	return func(ctx context.Context, event Event) (Response, error) {
		started := time.Now()
		response, err := Greet(event.Name)
		if err != nil {
			return Response{}, err
		}
		requestID := ""
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			requestID = lc.AwsRequestID
		}
		tookMs := float64(time.Since(started)) / float64(time.Millisecond)
		logger.InfoContext(ctx, "greeted", "request_id", requestID, "duration_ms", tookMs)
		return response, nil
	}
}

// NewLogger writes one JSON object per line at LOG_LEVEL (DEBUG, INFO, WARN, ERROR; default INFO).
func NewLogger(w io.Writer, level string) *slog.Logger {
	var min slog.Level
	if err := min.UnmarshalText([]byte(level)); err != nil {
		min = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: min, ReplaceAttr: lambdaFields}))
}

// lambdaFields drops the timestamp (CloudWatch stamps every line) and calls the text "message",
// the field name the other runtimes of this template log.
func lambdaFields(groups []string, attr slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return attr
	}
	switch attr.Key {
	case slog.TimeKey:
		return slog.Attr{}
	case slog.MessageKey:
		attr.Key = "message"
	}
	return attr
}

func main() {
	lambda.Start(NewHandler(NewLogger(os.Stderr, os.Getenv("LOG_LEVEL"))))
}
