// Unit tests of the business logic, whatever invokes the function.
import assert from "node:assert/strict";
import { test } from "node:test";
import { greet, InvalidNameError } from "../src/greeting.ts";

test("greets the caller by name", () => {
  assert.deepEqual(greet("Zoë 🚀"), { message: "Hello, Zoë 🚀!" });
});

test("greets the world when the name is absent or empty", () => {
  for (const name of [undefined, null, ""]) {
    assert.deepEqual(greet(name), { message: "Hello, world!" });
  }
});

test("rejects a name that is not a string", () => {
  assert.throws(() => greet(["Ada"]), { name: "TypeError", message: "name must be a string" });
  assert.throws(() => greet(42), InvalidNameError);
});
