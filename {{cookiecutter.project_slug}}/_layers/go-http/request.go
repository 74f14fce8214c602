package main

import (
	"encoding/base64"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
)

// Request is what the function reads of an HTTP request, in either payload format: 2.0 (HTTP APIs,
// function URLs) or 1.0 (REST APIs' proxy integration).
type Request struct {
	Method          string
	Path            string
	Query           map[string]string // nil when the request has no query string
	Body            string
	IsBase64Encoded bool
}

// UnmarshalJSON reads the payload with aws-lambda-go's type for its format: 2.0 says so in "version";
// REST APIs send none (and an HTTP API set to payload format 1.0 sends "1.0").
func (r *Request) UnmarshalJSON(data []byte) error {
	var format struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &format); err != nil {
		return err
	}
	if format.Version == "2.0" {
		var v2 events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(data, &v2); err != nil {
			return err
		}
		*r = Request{Method: v2.RequestContext.HTTP.Method, Path: v2.RawPath, Query: v2.QueryStringParameters,
			Body: v2.Body, IsBase64Encoded: v2.IsBase64Encoded}
		return nil
	}
	var v1 events.APIGatewayProxyRequest
	if err := json.Unmarshal(data, &v1); err != nil {
		return err
	}
	*r = Request{Method: v1.HTTPMethod, Path: v1.Path, Query: v1.QueryStringParameters,
		Body: v1.Body, IsBase64Encoded: v1.IsBase64Encoded}
	return nil
}

// BodyBytes is the body as the client sent it: API Gateway and function URLs base64-encode a body
// they do not pass as text.
func (r Request) BodyBytes() ([]byte, error) {
	if r.IsBase64Encoded {
		return base64.StdEncoding.DecodeString(r.Body)
	}
	return []byte(r.Body), nil
}
