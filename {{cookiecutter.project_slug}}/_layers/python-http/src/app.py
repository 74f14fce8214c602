"""Lambda handler for HTTP: API Gateway HTTP APIs and function URLs (payload 2.0) and REST APIs (payload 1.0).

GET /hello?name=Ada and POST /hello with {"name": "Ada"} greet Ada. Every answer is a proxy response with a
JSON body: {"message": ...}, or {"error": ...} for a request that fails.
"""

import base64
import json
import time
from typing import Any, NamedTuple, TypedDict, cast

from greeting import greet
from json_logs import json_logger

logger = json_logger(__name__)

ROUTE = "/hello"
ALLOWED_METHODS = "GET, POST"


# The fields read here of the two payload formats API Gateway and function URLs send.
class HttpDetails(TypedDict):
    method: str


class HttpRequestContext(TypedDict):
    http: HttpDetails


class HttpApiEvent(TypedDict, total=False):
    """Payload format 2.0: HTTP APIs and function URLs. A request without a query string has no parameters."""

    version: str
    rawPath: str
    requestContext: HttpRequestContext
    queryStringParameters: dict[str, str]
    body: str
    isBase64Encoded: bool


class RestApiEvent(TypedDict, total=False):
    """Payload format 1.0: REST APIs (proxy integration). Absent parameters and body are null."""

    httpMethod: str
    path: str
    queryStringParameters: dict[str, str] | None
    body: str | None
    isBase64Encoded: bool


class ProxyResponse(TypedDict):
    statusCode: int
    headers: dict[str, str]
    body: str


class Request(NamedTuple):
    method: str
    path: str
    query: dict[str, str]
    body: bytes


class BadRequest(Exception):
    """A request the caller must fix: answered 400 with this message."""


def handler(event: HttpApiEvent | RestApiEvent, context: Any) -> ProxyResponse:
    started = time.perf_counter()
    try:
        response = route(read_request(event))
    except BadRequest as error:
        response = answer(400, {"error": str(error)})
    except Exception:
        # The stack goes to the log only: a caller learns nothing of the code from an error.
        logger.exception("unexpected error", extra={"fields": {"request_id": context.aws_request_id}})
        response = answer(500, {"error": "internal error"})
    took_ms = round((time.perf_counter() - started) * 1000, 3)
    fields = {"request_id": context.aws_request_id, "status": response["statusCode"], "duration_ms": took_ms}
    logger.info("answered", extra={"fields": fields})
    return response


def read_request(event: HttpApiEvent | RestApiEvent) -> Request:
    """The method, path, query parameters and body bytes (base64 decoded) of either payload format."""
    if event.get("version") == "2.0":
        http_api = cast(HttpApiEvent, event)
        method, path = http_api["requestContext"]["http"]["method"], http_api["rawPath"]
    else:
        rest_api = cast(RestApiEvent, event)
        method, path = rest_api["httpMethod"], rest_api["path"]
    text = event.get("body") or ""
    # Function URLs send most bodies base64-encoded; API Gateway does for binary media types.
    body = base64.b64decode(text) if event.get("isBase64Encoded") else text.encode("utf-8")
    return Request(method, path, event.get("queryStringParameters") or {}, body)


def route(request: Request) -> ProxyResponse:
    if request.path != ROUTE:
        return answer(404, {"error": "not found"})
    if request.method == "GET":
        name = request.query.get("name")
    elif request.method == "POST":
        name = json_object(request.body).get("name")
    else:
        return answer(405, {"error": "method not allowed"}, {"allow": ALLOWED_METHODS})
    try:
        greeting = greet(name)
    except ValueError as error:
        raise BadRequest(str(error)) from error
    return answer(200, greeting)


def json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object; no body at all is an empty one."""
    if not body:
        return {}
    try:
        parsed = json.loads(body.decode("utf-8"))
    except ValueError as error:  # not UTF-8 (UnicodeDecodeError) or not JSON (JSONDecodeError)
        raise BadRequest("the request body is not valid JSON") from error
    if not isinstance(parsed, dict):
        raise BadRequest("the request body must be a JSON object")
    return parsed


def answer(status: int, payload: dict[str, str], headers: dict[str, str] | None = None) -> ProxyResponse:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json", **(headers or {})},
        "body": json.dumps(payload, ensure_ascii=False),
    }
