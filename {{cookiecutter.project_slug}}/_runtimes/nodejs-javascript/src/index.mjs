// Lambda handler: greets the caller named in the event and logs one JSON line per request.

/**
 * @typedef {object} Greeting
 * @property {string} message
 */

/**
 * @typedef {object} GreetingEvent
 * @property {unknown} [name]
 */

/**
 * The business logic, free of Lambda types so that it is trivial to test.
 * @param {unknown} name
 * @returns {Greeting}
 */
export function greet(name) {
  if (name === undefined || name === null || name === "") {
    return { message: "Hello, world!" };
  }
  if (typeof name !== "string") {
    throw new TypeError("name must be a string");
  }
  return { message: `Hello, ${name}!` };
}

/**
 * Async: the Node.js 24 runtime no longer accepts callback-style handlers.
 * @param {GreetingEvent | null} event
 * @param {import("aws-lambda").Context} context
 * @returns {Promise<Greeting>}
 */
export const handler = async (event, context) => {
  const started = performance.now();
  const response = greet(typeof event === "object" && event !== null ? event.name : undefined);
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  console.log(JSON.stringify({ level: "INFO", message: "greeted", request_id: context.awsRequestId, duration_ms: durationMs }));
  return response;
};
