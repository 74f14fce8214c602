"""The business logic and the JSON log lines, whatever invokes the function."""

import io
import json
import logging

import pytest

from greeting import greet
from json_logs import json_logger


def test_greets_the_name_given():
    assert greet("Zoë 🚀") == {"message": "Hello, Zoë 🚀!"}


@pytest.mark.parametrize("name", [None, ""])
def test_greets_the_world_without_a_name(name):
    assert greet(name) == {"message": "Hello, world!"}


def test_rejects_a_name_that_is_not_a_string():
    with pytest.raises(ValueError, match="^name must be a string$"):
        greet(["Ada"])


def test_logs_a_json_line_with_its_fields_and_any_stack_trace_but_keeps_its_own_message(monkeypatch):
    logger = json_logger("json-logs-test")
    stream = io.StringIO()
    monkeypatch.setattr(logger.handlers[0], "stream", stream)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.exception("failed", extra={"fields": {"request_id": "r-1", "message": "not this one"}})
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry.pop("stackTrace").startswith("Traceback (most recent call last):")
    assert entry == {"level": "ERROR", "message": "failed", "logger": "json-logs-test", "request_id": "r-1"}


def test_logs_only_at_or_above_log_level(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    logger = json_logger("json-logs-level-test")
    assert not logger.isEnabledFor(logging.INFO) and logger.isEnabledFor(logging.WARNING)


def test_log_level_takes_lambdas_names_and_writes_them(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "WARN")
    logger = json_logger("json-logs-lambda-names-test")
    stream = io.StringIO()
    monkeypatch.setattr(logger.handlers[0], "stream", stream)
    logger.info("dropped")
    logger.warning("kept")
    logger.critical("fatal")
    levels = [json.loads(line)["level"] for line in stream.getvalue().splitlines()]
    assert levels == ["WARN", "FATAL"]
