// Logs are one JSON object per line, so CloudWatch Logs Insights can query their fields.

export function log(level: "INFO" | "ERROR", message: string, fields: Record<string, unknown> = {}): void {
  // Level and message lead the line, and no field of the same name can replace them.
  const line = JSON.stringify(Object.assign({ level, message }, fields, { level, message }));
  if (level === "ERROR") {
    console.error(line);
  } else {
    console.log(line);
  }
}

/** What a log line says of an unexpected error: its message and its stack trace. */
export function errorFields(error: unknown): { error: string; stack?: string } {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}
