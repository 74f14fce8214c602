"""Lambda handler for direct invocation (aws lambda invoke, SDKs, other services): {"name": ...} in, a greeting out."""

import time
from typing import Any

from greeting import greet
from json_logs import json_logger

logger = json_logger(__name__)


def handler(event: object, context: Any) -> dict[str, str]:
    """Any JSON may be sent: an object's "name" is greeted, anything else greets the world."""
    started = time.perf_counter()
    response = greet(event.get("name") if isinstance(event, dict) else None)
    took_ms = round((time.perf_counter() - started) * 1000, 3)
    logger.info("greeted", extra={"fields": {"request_id": context.aws_request_id, "duration_ms": took_ms}})
    return response
