// Command bootstrap is the Lambda function an EventBridge schedule invokes: it does its job (here, a
// greeting) and logs what it did keyed by the event id, so that a redelivered event is recognisable.
// aws-lambda-go's lambda.Start speaks the Runtime API itself, so the same binary runs on the
// provided.al2023 base image, on a scratch image and under the bare RIE.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// ScheduledEvent is the event an EventBridge schedule sends. Its Time keeps the string as sent
// (events.EventBridgeEvent parses it into a time.Time): the shallower field wins in encoding/json.
type ScheduledEvent struct {
	events.EventBridgeEvent
	Time string `json:"time"`
}

// Run is what one scheduled run did.
type Run struct {
	EventID       string `json:"eventId"`
	ScheduledTime string `json:"scheduledTime"`
	Message       string `json:"message"`
}

// NewHandler returns the Lambda handler, logging to logger.
func NewHandler(logger *slog.Logger) func(context.Context, ScheduledEvent) (Run, error) {
	return func(ctx context.Context, event ScheduledEvent) (Run, error) {
		if event.DetailType != "Scheduled Event" {
			return Run{}, fmt.Errorf("expected an EventBridge \"Scheduled Event\", got detail-type %q", event.DetailType)
		}
		greeting, err := Greet(nil)
		if err != nil {
			return Run{}, err
		}
		run := Run{EventID: event.ID, ScheduledTime: event.Time, Message: greeting.Message}
		logger.InfoContext(ctx, "scheduled run", "request_id", requestID(ctx), "event_id", run.EventID,
			"scheduled_time", run.ScheduledTime, "rules", event.Resources, "greeting", run.Message)
		return run, nil
	}
}

func main() {
	lambda.Start(NewHandler(NewLogger(os.Stderr, os.Getenv("LOG_LEVEL"))))
}
