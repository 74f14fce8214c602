package example;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;

/**
 * One log line as one JSON object, the shape CloudWatch Logs Insights queries best: a level, a message,
 * the logger's name and the fields added with {@code with}. Hand-written so that logging needs no JSON library.
 */
public final class JsonLog {

    private final StringBuilder line = new StringBuilder("{");

    private JsonLog(String level, String message, Class<?> logger) {
        with("level", level).with("message", message).with("logger", logger.getName());
    }

    public static JsonLog info(String message, Class<?> logger) {
        return new JsonLog("INFO", message, logger);
    }

    public static JsonLog error(String message, Class<?> logger) {
        return new JsonLog("ERROR", message, logger);
    }

    public JsonLog with(String key, String value) {
        return field(key, value == null ? "null" : quoted(value));
    }

    public JsonLog with(String key, long value) {
        return field(key, Long.toString(value));
    }

    /** A duration or measure, to the microsecond when in milliseconds. */
    public JsonLog with(String key, double value) {
        return field(key, String.format(Locale.ROOT, "%.3f", value));
    }

    /** The error's stack trace, for the log only: callers never see it. */
    public JsonLog withStackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return with("stackTrace", trace.toString());
    }

    /** The line, ending with a newline as LambdaLogger expects. */
    @Override
    public String toString() {
        return line + "}\n";
    }

    /** Milliseconds since a {@link System#nanoTime()} reading. */
    public static double millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000.0;
    }

    private JsonLog field(String key, String json) {
        if (line.length() > 1) {
            line.append(',');
        }
        line.append(quoted(key)).append(':').append(json);
        return this;
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
