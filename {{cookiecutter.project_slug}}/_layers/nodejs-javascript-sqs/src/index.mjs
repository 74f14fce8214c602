// Lambda handler for SQS: greets the name in each message's JSON body. A message that fails is reported in
// the partial batch response (ReportBatchItemFailures), so only it returns to the queue, the others are done.
import { greet, InvalidNameError } from "./greeting.mjs";
import { errorFields, log } from "./log.mjs";

/** A message this function can never process, however often it is retried. */
class MalformedMessageError extends Error {}

/**
 * The name in a message body, which must be a JSON object.
 * @param {string} body
 * @returns {unknown}
 */
function nameInBody(body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MalformedMessageError("the message body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new MalformedMessageError("the message body must be a JSON object");
  }
  return parsed.name;
}

/**
 * Async: the Node.js 24 runtime no longer accepts callback-style handlers.
 * @param {import("aws-lambda").SQSEvent} event
 * @param {import("aws-lambda").Context} context
 * @returns {Promise<import("aws-lambda").SQSBatchResponse>}
 */
export const handler = async (event, context) => {
  /** @type {import("aws-lambda").SQSBatchItemFailure[]} */
  const batchItemFailures = [];
  for (const record of event.Records) {
    const fields = { request_id: context.awsRequestId, message_id: record.messageId };
    try {
      const { message } = greet(nameInBody(record.body));
      log("INFO", "greeted", { ...fields, greeting: message });
    } catch (error) {
      const malformed = error instanceof MalformedMessageError || error instanceof InvalidNameError;
      // A malformed message needs no stack trace: its reason says it all.
      log("ERROR", "message failed", { ...fields, ...(malformed ? { error: error.message } : errorFields(error)) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
