"""What every trigger's tests share: its sample events with their expected answers, a context, the log."""

import io
import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest

import app

EVENTS = Path(__file__).resolve().parent.parent / "events"


class SampleEvent(NamedTuple):
    event: Any
    expected: Any


def sample_events() -> list[Any]:
    """events/NAME.json with events/NAME.expected.json, the answer Lambda must give to it."""
    events = [path for path in sorted(EVENTS.glob("*.json")) if not path.name.endswith(".expected.json")]
    return [
        pytest.param(SampleEvent(read_json(path), read_json(path.with_suffix(".expected.json"))), id=path.stem)
        for path in events
    ]


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes `sample_event` runs once per sample event."""
    if "sample_event" in metafunc.fixturenames:
        metafunc.parametrize("sample_event", sample_events())


@pytest.fixture
def context() -> SimpleNamespace:
    """The fields of Lambda's context object that the handlers read."""
    return SimpleNamespace(aws_request_id="test-request", function_name="test")


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict[str, Any]]]:
    """The JSON lines the handler has logged so far in this test, parsed."""
    stream = io.StringIO()
    monkeypatch.setattr(app.logger.handlers[0], "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
