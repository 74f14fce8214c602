// Lambda handler for an EventBridge schedule: does its job once per "Scheduled Event" and logs it under the
// event's id, which a redelivery of the same event repeats.
import type { Context, ScheduledEvent } from "aws-lambda";
import { greet } from "./greeting.ts";
import { log } from "./log.ts";

export interface ScheduledRun {
  eventId: string;
  scheduledTime: string;
  message: string;
}

// Async: the Node.js 24 runtime no longer accepts callback-style handlers.
export const handler = async (event: ScheduledEvent, context: Context): Promise<ScheduledRun> => {
  const { message } = greet();
  log("INFO", "scheduled run", {
    request_id: context.awsRequestId,
    event_id: event.id,
    scheduled_time: event.time,
    greeting: message,
  });
  return { eventId: event.id, scheduledTime: event.time, message };
};
