// Unit tests of the JSON log lines, whatever invokes the function.
import assert from "node:assert/strict";
import { test } from "node:test";
import { errorFields, log } from "../src/log.ts";

test("hands console.info one entry whose level and message lead and no field can replace", (t) => {
  const write = t.mock.method(console, "info", () => {});
  log("INFO", "greeted", { level: "DEBUG", message: "replaced", request_id: "r" });
  assert.equal(write.mock.callCount(), 1);
  // An object, not a string: under Lambda's JSON log format its fields stay queryable.
  assert.equal(JSON.stringify(write.mock.calls[0]?.arguments[0]), '{"level":"INFO","message":"greeted","request_id":"r"}');
});

test("hands errors to console.error, with the stack of an unexpected one", (t) => {
  const write = t.mock.method(console, "error", () => {});
  log("ERROR", "failed", errorFields(new Error("boom")));
  const line = write.mock.calls[0]?.arguments[0];
  assert.equal(line.error, "boom");
  assert.match(line.stack, /^Error: boom\n\s+at /);
});
