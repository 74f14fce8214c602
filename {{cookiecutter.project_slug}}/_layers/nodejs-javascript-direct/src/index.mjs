// Lambda handler for direct invocation (the Lambda API, an SDK, a Step Functions task): greets event.name.
import { greet } from "./greeting.mjs";
import { log } from "./log.mjs";

/**
 * @typedef {object} GreetingEvent
 * @property {unknown} [name]
 */

/**
 * Async: the Node.js 24 runtime no longer accepts callback-style handlers.
 * @param {GreetingEvent | null} event
 * @param {import("aws-lambda").Context} context
 * @returns {Promise<import("./greeting.mjs").Greeting>}
 */
export const handler = async (event, context) => {
  const started = performance.now();
  const response = greet(typeof event === "object" && event !== null ? event.name : undefined);
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  log("INFO", "greeted", { request_id: context.awsRequestId, duration_ms: durationMs });
  return response;
};
