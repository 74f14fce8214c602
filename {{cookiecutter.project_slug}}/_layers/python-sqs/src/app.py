"""Lambda handler for SQS: each message's JSON body {"name": ...} is greeted, one log line per message.

A message that cannot be processed fails alone: its id goes into the partial batch response, so SQS
redelivers only it (the event source mapping needs ReportBatchItemFailures) and, after the queue's
maxReceiveCount, moves it to the dead-letter queue.
"""

import json
from typing import Any, TypedDict

from greeting import greet
from json_logs import json_logger

logger = json_logger(__name__)


# The fields read here of the event SQS sends, and the partial batch response Lambda reads back.
class SqsRecord(TypedDict):
    messageId: str
    body: str


class SqsEvent(TypedDict):
    Records: list[SqsRecord]


class BatchItemFailure(TypedDict):
    itemIdentifier: str


class BatchResponse(TypedDict):
    batchItemFailures: list[BatchItemFailure]


def handler(event: SqsEvent, context: Any) -> BatchResponse:
    failed = [record["messageId"] for record in event["Records"] if not greeted(record, context.aws_request_id)]
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}


def greeted(record: SqsRecord, request_id: str) -> bool:
    """Greet one message and log the outcome; False when the message failed."""
    fields = {"request_id": request_id, "message_id": record["messageId"]}
    try:
        greeting = greet(name_in(record["body"]))
    except ValueError as error:
        # A message no retry can fix: logged without a stack, it ends in the dead-letter queue.
        logger.warning("message rejected", extra={"fields": {**fields, "error": str(error)}})
        return False
    except Exception:
        logger.exception("message failed", extra={"fields": fields})
        return False
    logger.info("greeted", extra={"fields": {**fields, "greeting": greeting["message"]}})
    return True


def name_in(body: str) -> object:
    """The "name" of a message body that must be a JSON object."""
    try:
        message = json.loads(body)
    except ValueError as error:
        raise ValueError("the message body is not valid JSON") from error
    if not isinstance(message, dict):
        raise ValueError("the message body must be a JSON object")
    return message.get("name")
