"""The S3 handler against every sample notification, with no network."""

import app


def test_answers_each_sample_event_as_expected(sample_event, context):
    assert app.handler(sample_event.event, context) == sample_event.expected


def test_logs_one_json_line_per_object_created(context, logged):
    created = {
        "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": "b"}, "object": {"key": "a+b%2Bc", "size": 3}},
    }
    removed = {"eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "b"}, "object": {"key": "old"}}}
    app.handler({"Records": [created, removed]}, context)
    assert logged() == [
        {
            "level": "INFO",
            "message": "object created",
            "logger": "app",
            "request_id": "test-request",
            "bucket": "b",
            "key": "a b+c",
            "size": 3,
        }
    ]
