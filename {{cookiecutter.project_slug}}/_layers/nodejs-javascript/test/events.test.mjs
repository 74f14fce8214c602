// Every sample event in events/ against its expected answer, offline, compared as the emulator test compares.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { handler } from "../src/index.mjs";

const EVENTS = new URL("../events/", import.meta.url);
const context = { awsRequestId: "test-request", functionName: "test" };
const readJson = (name) => JSON.parse(readFileSync(new URL(name, EVENTS), "utf8"));
const sampleEvents = readdirSync(EVENTS)
  .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
  .sort();

const isObject = (value) => typeof value === "object" && value !== null;

/**
 * A proxy response as API Gateway reads it: header names in any case, the JSON body parsed, and empty fields
 * (null, undefined, isBase64Encoded false) left out. Any other answer is compared as it is.
 * @param {unknown} answer
 * @returns {unknown}
 */
function asHttpAnswer(answer) {
  if (!isObject(answer) || !("statusCode" in answer)) {
    return answer;
  }
  const read = Object.fromEntries(
    Object.entries(answer).filter(
      ([key, value]) => value !== null && value !== undefined && !(key === "isBase64Encoded" && value === false),
    ),
  );
  if (isObject(read.headers)) {
    read.headers = Object.fromEntries(Object.entries(read.headers).map(([name, value]) => [name.toLowerCase(), value]));
  }
  if (typeof read.body === "string") {
    try {
      read.body = JSON.parse(read.body);
    } catch {
      // A body that is not JSON is compared as text.
    }
  }
  return read;
}

for (const name of sampleEvents) {
  test(`the handler answers ${name} as events/ expects`, async () => {
    const event = readJson(name);
    const expected = readJson(name.replace(/\.json$/, ".expected.json"));
    if (isObject(expected) && "errorMessage" in expected) {
      await assert.rejects(handler(event, context), { message: expected.errorMessage });
    } else {
      assert.deepEqual(asHttpAnswer(await handler(event, context)), asHttpAnswer(expected));
    }
  });
}

test("there is at least one sample event", () => {
  assert.ok(sampleEvents.length > 0);
});
