"""Lambda handler for S3 notifications: each object created is logged and listed with its bucket, key and size."""

from typing import Any, TypedDict
from urllib.parse import unquote_plus

from json_logs import json_logger

logger = json_logger(__name__)


# The fields read here of the event S3 sends.
class S3Bucket(TypedDict):
    name: str


class S3Object(TypedDict, total=False):
    key: str
    size: int  # absent from ObjectRemoved records


class S3Entity(TypedDict):
    bucket: S3Bucket
    object: S3Object


class S3Record(TypedDict):
    eventName: str
    s3: S3Entity


class S3Event(TypedDict):
    Records: list[S3Record]


class CreatedObject(TypedDict):
    bucket: str
    key: str
    size: int


class S3Response(TypedDict):
    processed: list[CreatedObject]


def handler(event: S3Event, context: Any) -> S3Response:
    processed: list[CreatedObject] = []
    for record in event["Records"]:
        if not record["eventName"].startswith("ObjectCreated:"):
            continue  # other notifications (ObjectRemoved:*, ...) are not this function's job
        created: CreatedObject = {
            "bucket": record["s3"]["bucket"]["name"],
            # Keys arrive URL-encoded, a space as "+": "My+Holiday+%C3%A9t%C3%A9.txt" is "My Holiday été.txt".
            "key": unquote_plus(record["s3"]["object"]["key"]),
            "size": record["s3"]["object"]["size"],
        }
        logger.info("object created", extra={"fields": {"request_id": context.aws_request_id, **created}})
        processed.append(created)
    return {"processed": processed}
