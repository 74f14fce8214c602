"""Unit tests: the handler against every sample event, with no network and no emulator."""

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import app

EVENTS = Path(__file__).resolve().parent.parent / "events"
CONTEXT = SimpleNamespace(aws_request_id="test-request", function_name="test")


def sample_events():
    return [
        pytest.param(event, event.with_name(event.stem + ".expected.json"), id=event.stem)
        for event in sorted(EVENTS.glob("*.json"))
        if not event.name.endswith(".expected.json")
    ]


@pytest.mark.parametrize("event_file, expected_file", sample_events())
def test_handler_answers_each_sample_event_as_expected(event_file, expected_file):
    event = json.loads(event_file.read_text(encoding="utf-8"))
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    if "errorMessage" in expected:
        with pytest.raises(Exception, match=expected["errorMessage"]):
            app.handler(event, CONTEXT)
    else:
        assert app.handler(event, CONTEXT) == expected


def test_greets_world_when_name_is_empty():
    assert app.greet("") == {"message": "Hello, world!"}


def test_rejects_a_name_that_is_not_a_string():
    with pytest.raises(ValueError, match="name must be a string"):
        app.greet(["Ada"])


def test_logs_one_json_line_per_request(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(app.logger.handlers[0], "stream", stream)
    app.handler({"name": "Ada"}, CONTEXT)
    (line,) = stream.getvalue().splitlines()
    logged = json.loads(line)
    duration_ms = logged.pop("duration_ms")
    assert isinstance(duration_ms, (int, float)) and 0 <= duration_ms < 60_000
    assert logged == {"level": "INFO", "message": "greeted", "logger": "app", "request_id": "test-request"}
