// Lambda handler for SQS: greets the name in each message's JSON body. A message that fails is reported in
// the partial batch response (ReportBatchItemFailures), so only it returns to the queue, the others are done.
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { greet, InvalidNameError } from "./greeting.ts";
import { errorFields, log } from "./log.ts";

/** A message this function can never process, however often it is retried. */
class MalformedMessageError extends Error {}

/** The name in a message body, which must be a JSON object. */
function nameInBody(body: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MalformedMessageError("the message body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new MalformedMessageError("the message body must be a JSON object");
  }
  return (parsed as Record<string, unknown>).name;
}

// Async: the Node.js 24 runtime no longer accepts callback-style handlers.
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchItemFailure[] = [];
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
