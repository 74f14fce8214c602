// Lambda handler for HTTP: API Gateway HTTP APIs and function URLs (payload format 2.0) and REST APIs (1.0).
// GET /hello?name=Ada and POST /hello {"name": "Ada"} are greeted; every answer is a proxy response.
import { greet, InvalidNameError } from "./greeting.mjs";
import { errorFields, log } from "./log.mjs";

/** @typedef {import("aws-lambda").APIGatewayProxyEventV2 | import("aws-lambda").APIGatewayProxyEvent} HttpEvent */
/** @typedef {import("aws-lambda").APIGatewayProxyResult} HttpResponse */

/**
 * What this function reads of a request, whichever payload format carried it.
 * @typedef {object} HttpRequest
 * @property {string} method
 * @property {string} path
 * @property {string | undefined} queryName
 * @property {string | undefined} body
 */

/** A request this function understands but refuses: answered 400 with its message. */
class BadRequestError extends Error {}

/**
 * @param {HttpEvent} event
 * @returns {HttpRequest}
 */
function requestOf(event) {
  const raw = event.body ?? undefined;
  // Function URLs send a body base64-encoded; the text is UTF-8.
  const body = raw !== undefined && event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  const queryName = event.queryStringParameters?.name;
  if ("rawPath" in event) {
    return { method: event.requestContext.http.method, path: event.rawPath, queryName, body };
  }
  return { method: event.httpMethod, path: event.path, queryName, body };
}

/**
 * The name in a POST body, which must be a JSON object; an absent or empty body stands for {}.
 * @param {string | undefined} body
 * @returns {unknown}
 */
function nameInBody(body) {
  if (!body) {
    return undefined;
  }
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequestError("the request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError("the request body must be a JSON object");
  }
  return parsed.name;
}

/**
 * @param {number} statusCode
 * @param {object} payload
 * @param {Record<string, string>} [headers]
 * @returns {HttpResponse}
 */
function reply(statusCode, payload, headers = {}) {
  return { statusCode, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(payload) };
}

/**
 * @param {HttpRequest} request
 * @param {typeof greet} greetName
 * @returns {HttpResponse}
 */
function route(request, greetName) {
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

/**
 * The handler, built on a greeting function so that a test can hand in one that fails.
 * @param {typeof greet} greetName
 * @returns {(event: HttpEvent, context: import("aws-lambda").Context) => Promise<HttpResponse>}
 */
export function createHandler(greetName) {
  // Async: the Node.js 24 runtime no longer accepts callback-style handlers.
  return async (event, context) => {
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
