package main

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

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

// requestID is the invocation's id, which Lambda's own log lines carry too; empty outside Lambda.
func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}

// millisecondsSince is the time taken since started, in milliseconds, for the log lines.
func millisecondsSince(started time.Time) float64 {
	return float64(time.Since(started)) / float64(time.Millisecond)
}
