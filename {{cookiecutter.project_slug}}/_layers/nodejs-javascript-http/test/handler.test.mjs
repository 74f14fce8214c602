// Unit tests of the HTTP handler beyond its sample events.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { createHandler, handler } from "../src/index.mjs";

const context = { awsRequestId: "test-request", functionName: "test" };
const getHello = JSON.parse(readFileSync(new URL("../events/get-hello-name.json", import.meta.url), "utf8"));

test("an unexpected error is logged with its stack and answered 500 without it", async (t) => {
  const logError = t.mock.method(console, "error", () => {});
  const failing = createHandler(() => {
    throw new Error("the greeting service is down");
  });
  const response = await failing(getHello, context);
  assert.equal(response.statusCode, 500);
  // Header names in any case, as HTTP reads them.
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  assert.deepEqual(headers, { "content-type": "application/json" });
  assert.deepEqual(JSON.parse(response.body), { error: "internal error" });
  assert.equal(logError.mock.callCount(), 1);
  const line = logError.mock.calls[0].arguments[0];
  assert.equal(line.level, "ERROR");
  assert.equal(line.request_id, "test-request");
  assert.equal(line.error, "the greeting service is down");
  assert.match(line.stack, /^Error: the greeting service is down\n\s+at /);
});

test("logs one JSON line per request, with its method, path and status", async (t) => {
  const log = t.mock.method(console, "info", () => {});
  await handler(getHello, context);
  assert.equal(log.mock.callCount(), 1);
  assert.deepEqual(log.mock.calls[0].arguments[0], {
    level: "INFO",
    message: "answered",
    request_id: "test-request",
    method: "GET",
    path: "/hello",
    status: 200,
  });
});
