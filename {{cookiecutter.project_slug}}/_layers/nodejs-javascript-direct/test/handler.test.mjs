// Unit tests of the direct handler beyond its sample events.
import assert from "node:assert/strict";
import { test } from "node:test";
import { handler } from "../src/index.mjs";

const context = { awsRequestId: "test-request", functionName: "test" };

test("greets the world when the event is not an object", async () => {
  assert.deepEqual(await handler(null, context), { message: "Hello, world!" });
});

test("logs one JSON line per request", async (t) => {
  const log = t.mock.method(console, "info", () => {});
  await handler({ name: "Ada" }, context);
  assert.equal(log.mock.callCount(), 1);
  const { duration_ms: durationMs, ...line } = log.mock.calls[0].arguments[0];
  assert.ok(typeof durationMs === "number" && durationMs >= 0 && durationMs < 60_000, `duration_ms: ${durationMs}`);
  assert.deepEqual(line, { level: "INFO", message: "greeted", request_id: "test-request" });
});
