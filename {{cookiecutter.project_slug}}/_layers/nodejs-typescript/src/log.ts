// Log lines go through console.info and console.error, which Lambda's JSON log format (the function's
// LoggingConfig) turns into one JSON object per line: timestamp, level, requestId and this entry as "message",
// so CloudWatch Logs Insights can query its fields (message.request_id...).

export function log(level: "INFO" | "ERROR", message: string, fields: Record<string, unknown> = {}): void {
  // Level and message lead the line, and no field of the same name can replace them.
  const entry = Object.assign({ level, message }, fields, { level, message });
  if (level === "ERROR") {
    console.error(entry);
  } else {
    console.info(entry);
  }
}

/** What a log line says of an unexpected error: its message and its stack trace. */
export function errorFields(error: unknown): { error: string; stack?: string } {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}
