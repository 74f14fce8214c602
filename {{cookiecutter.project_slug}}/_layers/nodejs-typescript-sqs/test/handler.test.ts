// Unit tests of the SQS handler beyond its sample events.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Context, SQSEvent } from "aws-lambda";
import { handler } from "../src/index.ts";

const context = { awsRequestId: "test-request", functionName: "test" } as Context;
const batch = JSON.parse(
  readFileSync(new URL("../events/batch-with-poison-messages.json", import.meta.url), "utf8"),
) as SQSEvent;

test("logs one JSON line per message, in order, naming its message id", async (t) => {
  const lines: unknown[] = [];
  const capture = (line: unknown) => lines.push(line);
  t.mock.method(console, "info", capture);
  t.mock.method(console, "error", capture);
  await handler(batch, context);
  const ids = batch.Records.map((record) => record.messageId);
  assert.deepEqual(lines, [
    { level: "INFO", message: "greeted", request_id: "test-request", message_id: ids[0], greeting: "Hello, Ada!" },
    {
      level: "ERROR",
      message: "message failed",
      request_id: "test-request",
      message_id: ids[1],
      error: "the message body is not valid JSON",
    },
    {
      level: "ERROR",
      message: "message failed",
      request_id: "test-request",
      message_id: ids[2],
      error: "name must be a string",
    },
    { level: "INFO", message: "greeted", request_id: "test-request", message_id: ids[3], greeting: "Hello, Grace!" },
  ]);
});

test("a body that is JSON but not an object fails its message", async (t) => {
  t.mock.method(console, "error", () => {});
  const [record] = batch.Records;
  assert.ok(record);
  const response = await handler({ Records: [{ ...record, body: '["Ada"]' }] }, context);
  assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: record.messageId }] });
});
