package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Locale;
import java.util.Map;

/** Lambda handler: greets the caller named in the event and logs one JSON line per request. */
public final class Handler implements RequestHandler<Map<String, Object>, Map<String, String>> {

    @Override
    public Map<String, String> handleRequest(Map<String, Object> event, Context context) {
        long started = System.nanoTime();
        Map<String, String> response = greet(event == null ? null : event.get("name"));
        double tookMs = (System.nanoTime() - started) / 1_000_000.0;
        context.getLogger().log(logLine(context.getAwsRequestId(), tookMs));
        return response;
    }

    /** The business logic, free of Lambda types so that it is trivial to test. */
    static Map<String, String> greet(Object name) {
        if (name == null || "".equals(name)) {
            name = "world";
        }
        if (!(name instanceof String)) {
            throw new IllegalArgumentException("name must be a string");
        }
        return Map.of("message", "Hello, " + name + "!");
    }

    /** One JSON object per line, the shape CloudWatch Logs Insights queries best. */
    static String logLine(String requestId, double tookMs) {
        return String.format(Locale.ROOT,
                "{\"level\":\"INFO\",\"message\":\"greeted\",\"logger\":\"%s\",\"request_id\":%s,\"duration_ms\":%.3f}\n",
                Handler.class.getName(), jsonString(requestId), tookMs);
    }

    private static String jsonString(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
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
