// Lambda handler for HTTP: API Gateway HTTP APIs and function URLs (payload format 2.0) and REST APIs (1.0).
// GET /hello?name=Ada and POST /hello {"name": "Ada"} are greeted; every answer is a proxy response.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, Context } from "aws-lambda";
import { greet, type Greeting, InvalidNameError } from "./greeting.ts";
import { errorFields, log } from "./log.ts";

export type HttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;

/** What this function reads of a request, whichever payload format carried it. */
interface HttpRequest {
  method: string;
  path: string;
  queryName: string | undefined;
  body: string | undefined;
}

/** A request this function understands but refuses: answered 400 with its message. */
class BadRequestError extends Error {}

function requestOf(event: HttpEvent): HttpRequest {
  const raw = event.body ?? undefined;
  // Function URLs send a body base64-encoded; the text is UTF-8.
  const body = raw !== undefined && event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  const queryName = event.queryStringParameters?.name;
  if ("rawPath" in event) {
    return { method: event.requestContext.http.method, path: event.rawPath, queryName, body };
  }
  return { method: event.httpMethod, path: event.path, queryName, body };
}

/** The name in a POST body, which must be a JSON object; an absent or empty body stands for {}. */
function nameInBody(body: string | undefined): unknown {
  if (!body) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequestError("the request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError("the request body must be a JSON object");
  }
  return (parsed as Record<string, unknown>).name;
}

function reply(statusCode: number, payload: object, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(payload) };
}

function route(request: HttpRequest, greetName: typeof greet): APIGatewayProxyResult {
  if (request.path !== "/hello") {
    return reply(404, { error: "not found" });
  }
  if (request.method !== "GET" && request.method !== "POST") {
    return reply(405, { error: "method not allowed" }, { allow: "GET, POST" });
  }
  try {
    const name = request.method === "GET" ? request.queryName : nameInBody(request.body);
    return reply(200, greetName(name));
  } catch (error) {
    if (error instanceof BadRequestError || error instanceof InvalidNameError) {
      return reply(400, { error: error.message });
    }
    throw error;
  }
}

/** The handler, built on a greeting function so that a test can hand in one that fails. */
export function createHandler(greetName: (name?: unknown) => Greeting) {
  // Async: the Node.js 24 runtime no longer accepts callback-style handlers.
  return async (event: HttpEvent, context: Context): Promise<APIGatewayProxyResult> => {
    try {
      const request = requestOf(event);
      const response = route(request, greetName);
      const { method, path } = request;
      log("INFO", "answered", { request_id: context.awsRequestId, method, path, status: response.statusCode });
      return response;
    } catch (error) {
      // The stack goes to the log; the caller learns nothing of the code.
      log("ERROR", "unexpected error", { request_id: context.awsRequestId, ...errorFields(error) });
      return reply(500, { error: "internal error" });
    }
  };
}

export const handler = createHandler(greet);
