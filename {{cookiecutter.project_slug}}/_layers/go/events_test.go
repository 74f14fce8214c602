package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func testContext() context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "test-request"})
}

func decode(t *testing.T, data []byte) any {
	t.Helper()
	var value any
	if err := json.Unmarshal(data, &value); err != nil {
		t.Fatalf("not JSON: %v: %s", err, data)
	}
	return value
}

// asHTTPAnswer reads a proxy response as API Gateway does: header names in any case, the JSON body
// parsed, and the fields a typed response adds when empty (null, isBase64Encoded false) left out.
// Any other answer is compared as it is.
func asHTTPAnswer(answer any) any {
	response, ok := answer.(map[string]any)
	if !ok || response["statusCode"] == nil {
		return answer
	}
	read := map[string]any{}
	for key, value := range response {
		if value != nil && !(key == "isBase64Encoded" && value == false) {
			read[key] = value
		}
	}
	if headers, ok := read["headers"].(map[string]any); ok {
		lower := map[string]any{}
		for name, value := range headers {
			lower[strings.ToLower(name)] = value
		}
		read["headers"] = lower
	}
	if body, ok := read["body"].(string); ok {
		var parsed any
		if json.Unmarshal([]byte(body), &parsed) == nil {
			read["body"] = parsed
		}
	}
	return read
}

// Every events/NAME.json goes through aws-lambda-go's own decoding and encoding, as in Lambda, and
// must give events/NAME.expected.json (an error answer is compared on its errorMessage).
func TestHandlerAnswersEachSampleEventAsExpected(t *testing.T) {
	events, _ := filepath.Glob(filepath.Join("events", "*.json"))
	cases := 0
	for _, event := range events {
		if strings.HasSuffix(event, ".expected.json") {
			continue
		}
		cases++
		name := strings.TrimSuffix(filepath.Base(event), ".json")
		t.Run(name, func(t *testing.T) {
			payload, err := os.ReadFile(event)
			if err != nil {
				t.Fatal(err)
			}
			expectedJSON, err := os.ReadFile(strings.TrimSuffix(event, ".json") + ".expected.json")
			if err != nil {
				t.Fatalf("no expected answer beside %s: %v", event, err)
			}
			expected := decode(t, expectedJSON)
			handler := lambda.NewHandler(NewHandler(NewLogger(io.Discard, "INFO")))
			answer, err := handler.Invoke(testContext(), payload)
			if message, wantError := expected.(map[string]any)["errorMessage"]; wantError {
				if err == nil || err.Error() != message {
					t.Fatalf("want error %q, got %v (answer %s)", message, err, answer)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got, want := asHTTPAnswer(decode(t, answer)), asHTTPAnswer(expected); !reflect.DeepEqual(got, want) {
				t.Fatalf("want %v, got %v", want, got)
			}
		})
	}
	if cases == 0 {
		t.Fatal("no sample events in events/")
	}
}

func TestAsHTTPAnswerReadsAProxyResponseAsAPIGatewayDoes(t *testing.T) {
	typed := map[string]any{"statusCode": 200.0, "headers": map[string]any{"Content-Type": "application/json"},
		"multiValueHeaders": nil, "body": `{"message":"Hello, Ada!"}`, "isBase64Encoded": false}
	written := map[string]any{"statusCode": 200.0, "headers": map[string]any{"content-type": "application/json"},
		"body": `{"message": "Hello, Ada!"}`}
	if !reflect.DeepEqual(asHTTPAnswer(typed), asHTTPAnswer(written)) {
		t.Fatalf("%v and %v should read the same", asHTTPAnswer(typed), asHTTPAnswer(written))
	}
	other := map[string]any{"statusCode": 200.0, "headers": map[string]any{"content-type": "application/json"},
		"body": `{"message": "Hello, Bob!"}`}
	if reflect.DeepEqual(asHTTPAnswer(other), asHTTPAnswer(written)) {
		t.Fatal("different bodies should not read the same")
	}
}
