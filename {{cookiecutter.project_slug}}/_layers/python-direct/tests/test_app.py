"""The direct handler against every sample event, with no network and no emulator."""

import pytest

import app


def test_answers_each_sample_event_as_expected(sample_event, context):
    if "errorMessage" in sample_event.expected:
        # Lambda answers an exception raised by the handler with its message.
        with pytest.raises(Exception) as raised:
            app.handler(sample_event.event, context)
        assert str(raised.value) == sample_event.expected["errorMessage"]
    else:
        assert app.handler(sample_event.event, context) == sample_event.expected


@pytest.mark.parametrize("event", [None, "Ada", ["Ada"]])
def test_greets_the_world_when_the_event_is_not_an_object(event, context):
    assert app.handler(event, context) == {"message": "Hello, world!"}


def test_logs_one_json_line_per_request(context, logged):
    app.handler({"name": "Ada"}, context)
    (entry,) = logged()
    duration_ms = entry.pop("duration_ms")
    assert isinstance(duration_ms, (int, float)) and 0 <= duration_ms < 60_000
    assert entry == {"level": "INFO", "message": "greeted", "logger": "app", "request_id": "test-request"}
