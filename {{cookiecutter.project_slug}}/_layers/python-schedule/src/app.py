"""Lambda handler for an EventBridge schedule: each run greets the world and logs it under the event's id.

EventBridge delivers at least once: a redelivered run has the same event id, so the log shows it.
"""

from typing import Any, TypedDict

from greeting import greet
from json_logs import json_logger

logger = json_logger(__name__)


# The fields read here of the "Scheduled Event" EventBridge sends.
class ScheduledEvent(TypedDict):
    id: str
    time: str


class ScheduledRun(TypedDict):
    eventId: str
    scheduledTime: str
    message: str


def handler(event: ScheduledEvent, context: Any) -> ScheduledRun:
    run: ScheduledRun = {"eventId": event["id"], "scheduledTime": event["time"], "message": greet(None)["message"]}
    fields = {"request_id": context.aws_request_id, "event_id": run["eventId"], "scheduled_time": run["scheduledTime"]}
    logger.info("scheduled run", extra={"fields": {**fields, "greeting": run["message"]}})
    return run
