// Lambda handler for direct invocation (the Lambda API, an SDK, a Step Functions task): greets event.name.
import type { Context } from "aws-lambda";
import { greet, type Greeting } from "./greeting.ts";
import { log } from "./log.ts";

export interface GreetingEvent {
  name?: unknown;
}

// Async: the Node.js 24 runtime no longer accepts callback-style handlers.
export const handler = async (event: GreetingEvent | null, context: Context): Promise<Greeting> => {
  const started = performance.now();
  const response = greet(typeof event === "object" && event !== null ? event.name : undefined);
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  log("INFO", "greeted", { request_id: context.awsRequestId, duration_ms: durationMs });
  return response;
};
