// Lambda handler for S3 event notifications: each object created is logged and listed in the answer;
// records of other kinds (ObjectRemoved...) are skipped.
import { log } from "./log.mjs";

/**
 * @typedef {object} CreatedObject
 * @property {string} bucket
 * @property {string} key
 * @property {number} size
 */

/**
 * S3 sends object keys URL-encoded, with "+" for a space.
 * @param {string} key
 * @returns {string}
 */
export function decodeKey(key) {
  return decodeURIComponent(key.replaceAll("+", " "));
}

/**
 * Async: the Node.js 24 runtime no longer accepts callback-style handlers.
 * @param {import("aws-lambda").S3Event} event
 * @param {import("aws-lambda").Context} context
 * @returns {Promise<{ processed: CreatedObject[] }>}
 */
export const handler = async (event, context) => {
  const processed = event.Records.filter((record) => record.eventName.startsWith("ObjectCreated:")).map((record) => ({
    bucket: record.s3.bucket.name,
    key: decodeKey(record.s3.object.key),
    size: record.s3.object.size,
  }));
  for (const object of processed) {
    log("INFO", "object created", { request_id: context.awsRequestId, ...object });
  }
  return { processed };
};
