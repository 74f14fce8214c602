package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lambda handler for SQS: greets the name in each message's JSON body, {"name": "Ada"}, one log line per message.
 * A message that fails is reported in a partial batch response, so that only it returns to the queue (the event
 * source mapping needs ReportBatchItemFailures); the others are deleted.
 */
public final class Handler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<BatchItemFailure> failures = new ArrayList<>();
        for (SQSMessage message : event.getRecords()) {
            try {
                String greeting = Greeter.greet(nameIn(message.getBody()));
                context.getLogger().log(JsonLog.info("greeted", Handler.class)
                        .with("message_id", message.getMessageId()).with("greeting", greeting).toString(),
                        LogLevel.INFO);
            } catch (IllegalArgumentException rejected) {
                context.getLogger().log(JsonLog.error("message rejected", Handler.class)
                        .with("message_id", message.getMessageId()).with("reason", rejected.getMessage()).toString(),
                        LogLevel.ERROR);
                failures.add(new BatchItemFailure(message.getMessageId()));
            } catch (RuntimeException unexpected) {
                context.getLogger().log(JsonLog.error("unexpected error", Handler.class)
                        .with("message_id", message.getMessageId()).withStackTrace(unexpected).toString(),
                        LogLevel.ERROR);
                failures.add(new BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** The "name" of a message body that is a JSON object; rejects any other body. */
    private static Object nameIn(String body) {
        Object parsed;
        try {
            parsed = JSON.readValue(body, Object.class);
        } catch (IOException notJson) {
            throw new IllegalArgumentException("the message body is not valid JSON");
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("the message body must be a JSON object");
        }
        return object.get("name");
    }
}
