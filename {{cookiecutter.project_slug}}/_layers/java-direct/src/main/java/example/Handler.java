package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.util.Map;

/** Lambda handler for direct invocation: greets the name in the event, {"name": "Ada"}, and logs one JSON line. */
public final class Handler implements RequestHandler<Map<String, Object>, Map<String, String>> {

    @Override
    public Map<String, String> handleRequest(Map<String, Object> event, Context context) {
        long started = System.nanoTime();
        String message = Greeter.greet(event == null ? null : event.get("name"));
        context.getLogger().log(JsonLog.info("greeted", Handler.class)
                .with("request_id", context.getAwsRequestId())
                .with("duration_ms", JsonLog.millisSince(started))
                .toString(), LogLevel.INFO);
        return Map.of("message", message);
    }
}
