"""The HTTP handler against every sample event, and the cases events cannot show, with no network."""

import base64
import json
from typing import Any

import app


def as_http_answer(response: Any) -> Any:
    """A proxy response as API Gateway reads it: header names in any case, the body as parsed JSON, and
    null fields and "isBase64Encoded": false left out (the emulator test compares answers the same way)."""
    if not (isinstance(response, dict) and "statusCode" in response):
        return response
    answer = {key: value for key, value in response.items() if value is not None}
    if answer.get("isBase64Encoded") is False:
        del answer["isBase64Encoded"]
    answer["headers"] = {name.lower(): value for name, value in answer.get("headers", {}).items()}
    answer["body"] = json.loads(answer["body"])
    return answer


def http_api_event(method: str, body: bytes | None = None) -> dict[str, Any]:
    """A payload 2.0 request for /hello, its body base64-encoded as function URLs send it."""
    event: dict[str, Any] = {
        "version": "2.0",
        "rawPath": "/hello",
        "requestContext": {"http": {"method": method, "path": "/hello"}},
        "isBase64Encoded": body is not None,
    }
    if body is not None:
        event["body"] = base64.b64encode(body).decode("ascii")
    return event


def test_answers_each_sample_event_as_expected(sample_event, context):
    assert as_http_answer(app.handler(sample_event.event, context)) == as_http_answer(sample_event.expected)


def test_a_post_without_a_body_greets_the_world(context):
    answer = as_http_answer(app.handler(http_api_event("POST"), context))
    assert (answer["statusCode"], answer["body"]) == (200, {"message": "Hello, world!"})


def test_a_body_that_is_not_utf8_is_not_valid_json(context):
    answer = as_http_answer(app.handler(http_api_event("POST", b'{"name": "Zo\xeb"}'), context))
    assert (answer["statusCode"], answer["body"]) == (400, {"error": "the request body is not valid JSON"})


def test_an_unexpected_error_is_logged_with_its_stack_and_answered_500_without_it(monkeypatch, context, logged):
    def broken_greet(name: object) -> dict[str, str]:
        raise RuntimeError("the greeting store is down")

    monkeypatch.setattr(app, "greet", broken_greet)
    response = app.handler(http_api_event("GET"), context)
    assert as_http_answer(response) == {
        "statusCode": 500,
        "headers": {"content-type": "application/json"},
        "body": {"error": "internal error"},
    }
    assert "store is down" not in response["body"]
    error, answered = logged()
    assert (error["level"], error["message"], error["request_id"]) == ("ERROR", "unexpected error", "test-request")
    assert "RuntimeError: the greeting store is down" in error["stackTrace"]
    assert (answered["message"], answered["status"]) == ("answered", 500)


def test_logs_one_json_line_per_request(context, logged):
    app.handler(http_api_event("GET"), context)
    (entry,) = logged()
    assert 0 <= entry.pop("duration_ms") < 60_000
    assert entry == {
        "level": "INFO",
        "message": "answered",
        "logger": "app",
        "request_id": "test-request",
        "status": 200,
    }
