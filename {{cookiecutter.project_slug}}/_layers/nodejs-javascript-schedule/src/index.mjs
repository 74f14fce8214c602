// Lambda handler for an EventBridge schedule: does its job once per "Scheduled Event" and logs it under the
// event's id, which a redelivery of the same event repeats.
import { greet } from "./greeting.mjs";
import { log } from "./log.mjs";

/**
 * @typedef {object} ScheduledRun
 * @property {string} eventId
 * @property {string} scheduledTime
 * @property {string} message
 */

/**
 * Async: the Node.js 24 runtime no longer accepts callback-style handlers.
 * @param {import("aws-lambda").ScheduledEvent} event
 * @param {import("aws-lambda").Context} context
 * @returns {Promise<ScheduledRun>}
 */
export const handler = async (event, context) => {
  const { message } = greet();
  log("INFO", "scheduled run", {
    request_id: context.awsRequestId,
    event_id: event.id,
    scheduled_time: event.time,
    greeting: message,
  });
  return { eventId: event.id, scheduledTime: event.time, message };
};
