"""The SQS handler against every sample batch, and the cases events cannot show, with no network."""

import app


def message(message_id: str, body: str) -> app.SqsRecord:
    return {"messageId": message_id, "body": body}


def test_answers_each_sample_event_as_expected(sample_event, context):
    assert app.handler(sample_event.event, context) == sample_event.expected


def test_logs_one_json_line_per_message(context, logged):
    app.handler({"Records": [message("m-1", '{"name": "Ada"}'), message("m-2", '["Ada"]')]}, context)
    greeted, rejected = logged()
    assert greeted == {
        "level": "INFO",
        "message": "greeted",
        "logger": "app",
        "request_id": "test-request",
        "message_id": "m-1",
        "greeting": "Hello, Ada!",
    }
    assert (rejected["level"], rejected["message_id"]) == ("WARN", "m-2")
    assert rejected["error"] == "the message body must be a JSON object"


def test_an_unexpected_error_fails_only_its_message_and_is_logged_with_its_stack(monkeypatch, context, logged):
    def greet_failing_for_grace(name: object) -> dict[str, str]:
        if name == "Grace":
            raise RuntimeError("the greeting store is down")
        return {"message": f"Hello, {name}!"}

    monkeypatch.setattr(app, "greet", greet_failing_for_grace)
    batch = {"Records": [message("m-1", '{"name": "Grace"}'), message("m-2", '{"name": "Ada"}')]}
    assert app.handler(batch, context) == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    failed, _ = logged()
    assert (failed["level"], failed["message_id"]) == ("ERROR", "m-1")
    assert "RuntimeError: the greeting store is down" in failed["stackTrace"]
