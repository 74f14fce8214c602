// Unit tests: the handler against every sample event, with no network and no emulator.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { greet, handler } from "../src/index.mjs";

const EVENTS = new URL("../events/", import.meta.url);
const context = { awsRequestId: "test-request", functionName: "test" };
const readJson = (name) => JSON.parse(readFileSync(new URL(name, EVENTS), "utf8"));
const sampleEvents = readdirSync(EVENTS)
  .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
  .sort();

for (const name of sampleEvents) {
  test(`the handler answers ${name} as events/ expects`, async () => {
    const event = readJson(name);
    const expected = readJson(name.replace(/\.json$/, ".expected.json"));
    if ("errorMessage" in expected) {
      await assert.rejects(handler(event, context), { message: expected.errorMessage });
    } else {
      assert.deepEqual(await handler(event, context), expected);
    }
  });
}

test("there is at least one sample event", () => {
  assert.ok(sampleEvents.length > 0);
});

test("greets the world when the name is empty", () => {
  assert.deepEqual(greet(""), { message: "Hello, world!" });
});

test("rejects a name that is not a string", () => {
  assert.throws(() => greet(["Ada"]), { name: "TypeError", message: "name must be a string" });
});

test("logs one JSON line per request", async (t) => {
  const log = t.mock.method(console, "log", () => {});
  await handler({ name: "Ada" }, context);
  assert.equal(log.mock.callCount(), 1);
  const line = JSON.parse(String(log.mock.calls[0].arguments[0]));
  assert.deepEqual(line, { level: "INFO", message: "greeted", request_id: "test-request", duration_ms: line.duration_ms });
  assert.equal(typeof line.duration_ms, "number");
});
