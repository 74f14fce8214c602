// Lambda handler for S3 event notifications: each object created is logged and listed in the answer;
// records of other kinds (ObjectRemoved...) are skipped.
import type { Context, S3Event } from "aws-lambda";
import { log } from "./log.ts";

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
}

/** S3 sends object keys URL-encoded, with "+" for a space. */
export function decodeKey(key: string): string {
  return decodeURIComponent(key.replaceAll("+", " "));
}

// Async: the Node.js 24 runtime no longer accepts callback-style handlers.
export const handler = async (event: S3Event, context: Context): Promise<{ processed: CreatedObject[] }> => {
  const processed = event.Records.filter((record) => record.eventName.startsWith("ObjectCreated:")).map(
    (record): CreatedObject => ({
      bucket: record.s3.bucket.name,
      key: decodeKey(record.s3.object.key),
      size: record.s3.object.size,
    }),
  );
  for (const object of processed) {
    log("INFO", "object created", { request_id: context.awsRequestId, ...object });
  }
  return { processed };
};
