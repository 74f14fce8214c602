"""Lambda handler: greets the caller named in the event and logs one JSON line per request."""

import json
import logging
import os
import time

logger = logging.getLogger(__name__)
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, the shape CloudWatch Logs Insights queries best."""

    def format(self, record):
        entry = {"level": record.levelname, "message": record.getMessage(), "logger": record.name}
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, ensure_ascii=False)


if not logger.handlers:
    _stream = logging.StreamHandler()
    _stream.setFormatter(JsonFormatter())
    logger.addHandler(_stream)
    logger.propagate = False


def greet(name):
    """The business logic, free of Lambda types so that it is trivial to test."""
    if name is None or name == "":
        name = "world"
    if not isinstance(name, str):
        raise ValueError("name must be a string")
    return {"message": f"Hello, {name}!"}


def handler(event, context):
    started = time.perf_counter()
    event = event if isinstance(event, dict) else {}
    response = greet(event.get("name"))
    request_id = getattr(context, "aws_request_id", None)
    took_ms = round((time.perf_counter() - started) * 1000, 3)
    logger.info("greeted", extra={"fields": {"request_id": request_id, "duration_ms": took_ms}})
    return response
