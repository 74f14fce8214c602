"""The schedule handler against every sample event, with no network."""

import app


def test_answers_each_sample_event_as_expected(sample_event, context):
    assert app.handler(sample_event.event, context) == sample_event.expected


def test_logs_the_run_under_the_event_id(context, logged):
    app.handler({"id": "event-1", "time": "2026-11-29T12:00:00Z"}, context)
    assert logged() == [
        {
            "level": "INFO",
            "message": "scheduled run",
            "logger": "app",
            "request_id": "test-request",
            "event_id": "event-1",
            "scheduled_time": "2026-11-29T12:00:00Z",
            "greeting": "Hello, world!",
        }
    ]
