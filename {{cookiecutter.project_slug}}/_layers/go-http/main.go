// Command bootstrap is the Lambda function behind an HTTP endpoint: an API Gateway HTTP API or a
// Lambda function URL (payload format 2.0), or a REST API's proxy integration (1.0). It answers
// GET /hello?name=Ada and POST /hello with {"name": "Ada"}, and logs one JSON line per request.
// aws-lambda-go's lambda.Start speaks the Runtime API itself, so the same binary runs on the
// provided.al2023 base image, on a scratch image and under the bare RIE.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// The client's mistakes, answered 400 with the message as {"error": ...}.
var (
	ErrBodyNotJSON   = errors.New("the request body is not valid JSON")
	ErrBodyNotObject = errors.New("the request body must be a JSON object")
)

// errorBody is the JSON body of every answer but 200.
type errorBody struct {
	Error string `json:"error"`
}

// handler answers the routes; greet is the business logic (a test swaps in one that fails).
type handler struct {
	logger *slog.Logger
	greet  func(name any) (Greeting, error)
}

// NewHandler returns the Lambda handler, logging to logger. Every request gets an HTTP answer, so
// the handler never returns an error: a REST API would answer 502 for one.
func NewHandler(logger *slog.Logger) func(context.Context, Request) (events.APIGatewayProxyResponse, error) {
	return handler{logger: logger, greet: Greet}.handle
}

func (h handler) handle(ctx context.Context, request Request) (response events.APIGatewayProxyResponse, _ error) {
	started := time.Now()
	defer func() {
		// A panic in the business logic still gets an answer; its stack goes to the log, not the client.
		if recovered := recover(); recovered != nil {
			h.logger.ErrorContext(ctx, "unexpected error", "request_id", requestID(ctx),
				"error", fmt.Sprint(recovered), "stack", string(debug.Stack()))
			response = answer(http.StatusInternalServerError, errorBody{"internal error"})
		}
		h.logger.InfoContext(ctx, "answered", "request_id", requestID(ctx), "method", request.Method,
			"path", request.Path, "status", response.StatusCode, "duration_ms", millisecondsSince(started))
	}()
	response, err := h.route(request)
	if err != nil {
		// A Go error carries no stack: wrap it with context (fmt.Errorf("...: %w", err)) where it starts.
		h.logger.ErrorContext(ctx, "unexpected error", "request_id", requestID(ctx), "error", err.Error())
		response = answer(http.StatusInternalServerError, errorBody{"internal error"})
	}
	return response, nil
}

// route answers GET /hello?name=NAME and POST /hello with {"name": NAME}; an error is unexpected (500).
func (h handler) route(request Request) (events.APIGatewayProxyResponse, error) {
	if request.Path != "/hello" {
		return answer(http.StatusNotFound, errorBody{"not found"}), nil
	}
	var name any
	switch request.Method {
	case http.MethodGet:
		name = request.Query["name"]
	case http.MethodPost:
		body, err := request.BodyBytes()
		if err != nil {
			return events.APIGatewayProxyResponse{}, fmt.Errorf("decoding the base64 body: %w", err)
		}
		if name, err = nameInBody(body); err != nil {
			return answer(http.StatusBadRequest, errorBody{err.Error()}), nil
		}
	default:
		response := answer(http.StatusMethodNotAllowed, errorBody{"method not allowed"})
		response.Headers["allow"] = "GET, POST"
		return response, nil
	}
	greeting, err := h.greet(name)
	if errors.Is(err, ErrNameNotString) {
		return answer(http.StatusBadRequest, errorBody{err.Error()}), nil
	}
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return answer(http.StatusOK, greeting), nil
}

// nameInBody is the name a JSON object body gives; an empty body stands for {}.
func nameInBody(body []byte) (any, error) {
	if len(body) == 0 {
		return nil, nil
	}
	var document any
	if err := json.Unmarshal(body, &document); err != nil {
		return nil, ErrBodyNotJSON
	}
	fields, ok := document.(map[string]any)
	if !ok {
		return nil, ErrBodyNotObject
	}
	return fields["name"], nil
}

// answer is a proxy response with a JSON body, as both payload formats expect it.
func answer(status int, body any) events.APIGatewayProxyResponse {
	encoded, err := json.Marshal(body)
	if err != nil {
		panic(err) // only this file's types are encoded here, and they always encode
	}
	return events.APIGatewayProxyResponse{
		StatusCode: status,
		Headers:    map[string]string{"content-type": "application/json"},
		Body:       string(encoded),
	}
}

func main() {
	lambda.Start(NewHandler(NewLogger(os.Stderr, os.Getenv("LOG_LEVEL"))))
}
