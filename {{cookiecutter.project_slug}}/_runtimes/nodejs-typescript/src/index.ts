// Lambda handler: greets the caller named in the event and logs one JSON line per request.
import type { Context } from "aws-lambda";

export interface GreetingEvent {
  name?: unknown;
}

export interface Greeting {
  message: string;
}

// The business logic, free of Lambda types so that it is trivial to test.
export function greet(name: unknown): Greeting {
  if (name === undefined || name === null || name === "") {
    return { message: "Hello, world!" };
  }
  if (typeof name !== "string") {
    throw new TypeError("name must be a string");
  }
  return { message: `Hello, ${name}!` };
}

// Async: the Node.js 24 runtime no longer accepts callback-style handlers.
export const handler = async (event: GreetingEvent | null, context: Context): Promise<Greeting> => {
  const started = performance.now();
  const response = greet(typeof event === "object" && event !== null ? event.name : undefined);
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  console.log(JSON.stringify({ level: "INFO", message: "greeted", request_id: context.awsRequestId, duration_ms: durationMs }));
  return response;
};
