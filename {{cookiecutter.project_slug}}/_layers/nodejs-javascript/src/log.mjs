// Logs are one JSON object per line, so CloudWatch Logs Insights can query their fields.

/**
 * @param {"INFO" | "ERROR"} level
 * @param {string} message
 * @param {Record<string, unknown>} [fields]
 */
export function log(level, message, fields = {}) {
  // Level and message lead the line, and no field of the same name can replace them.
  const line = JSON.stringify(Object.assign({ level, message }, fields, { level, message }));
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
