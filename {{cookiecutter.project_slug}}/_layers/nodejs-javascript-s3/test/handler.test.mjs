// Unit tests of the S3 handler beyond its sample events.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeKey, handler } from "../src/index.mjs";

const context = { awsRequestId: "test-request", functionName: "test" };
const mixed = JSON.parse(readFileSync(new URL("../events/mixed-records.json", import.meta.url), "utf8"));

test("decodes keys as S3 encodes them: '+' is a space, %2B a plus, UTF-8 percent-escapes", () => {
  assert.equal(decodeKey("a+b%2Bc/%C3%A9t%C3%A9.txt"), "a b+c/été.txt");
});

test("logs one JSON line per object created, none for other records", async (t) => {
  const log = t.mock.method(console, "info", () => {});
  await handler(mixed, context);
  assert.deepEqual(
    log.mock.calls.map((call) => call.arguments[0]),
    [
      {
        level: "INFO",
        message: "object created",
        request_id: "test-request",
        bucket: "example-bucket",
        key: "reports/1+1 = 2.csv",
        size: 5242880,
      },
      {
        level: "INFO",
        message: "object created",
        request_id: "test-request",
        bucket: "example-bucket",
        key: "uploads/plain.txt",
        size: 0,
      },
    ],
  );
});
