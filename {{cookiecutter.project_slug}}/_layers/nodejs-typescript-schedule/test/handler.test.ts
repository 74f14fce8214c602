// Unit tests of the scheduled handler beyond its sample events.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Context, ScheduledEvent } from "aws-lambda";
import { handler } from "../src/index.ts";

const context = { awsRequestId: "test-request", functionName: "test" } as Context;
const scheduled = JSON.parse(
  readFileSync(new URL("../events/scheduled-event.json", import.meta.url), "utf8"),
) as ScheduledEvent;

test("logs one JSON line keyed by the event id", async (t) => {
  const log = t.mock.method(console, "info", () => {});
  await handler(scheduled, context);
  assert.equal(log.mock.callCount(), 1);
  assert.deepEqual(log.mock.calls[0]?.arguments[0], {
    level: "INFO",
    message: "scheduled run",
    request_id: "test-request",
    event_id: scheduled.id,
    scheduled_time: scheduled.time,
    greeting: "Hello, world!",
  });
});
