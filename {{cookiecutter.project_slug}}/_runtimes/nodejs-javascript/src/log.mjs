// Logs are one JSON object per line, so CloudWatch Logs Insights can query their fields.

/**
 * @param {"INFO" | "ERROR"} level
 * @param {string} message
 * @param {Record<string, unknown>} [fields]
 */
export function log(level, message, fields = {}) {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === "ERROR") {
    console.error(line);
  } else {
    console.log(line);
  }
}

/**
 * @typedef {object} ErrorFields
 * @property {string} error
 * @property {string} [stack]
 */

/**
 * What a log line says of an unexpected error: its message and its stack trace.
 * @param {unknown} error
 * @returns {ErrorFields}
 */
export function errorFields(error) {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}
