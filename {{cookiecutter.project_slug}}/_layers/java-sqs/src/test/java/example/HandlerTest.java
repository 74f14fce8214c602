package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SQS handler against every sample batch, with no network and no queue. */
class HandlerTest {

    private static SQSBatchResponse invoke(String name, TestContext context) {
        return new Handler().handleRequest(RuntimeJson.read(SampleEvents.event(name), SQSEvent.class), context);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("example.SampleEvents#names")
    void answersEachSampleEventAsExpected(String name) throws IOException {
        JsonNode answer = RuntimeJson.write(invoke(name, new TestContext()), SQSBatchResponse.class);
        assertEquals(SampleEvents.expected(name), answer);
    }

    @Test
    void logsOneJsonLinePerMessageWithWhyAMessageFailed() throws IOException {
        TestContext context = new TestContext();
        invoke("batch-with-poison-messages", context);
        List<JsonNode> lines = context.logged().lines().map(SampleEvents::parse).toList();
        assertEquals(List.of("greeted", "message rejected", "message rejected", "greeted"),
                lines.stream().map(line -> line.get("message").textValue()).toList());
        assertEquals("Hello, Ada!", lines.get(0).get("greeting").textValue());
        assertEquals("the message body is not valid JSON", lines.get(1).get("reason").textValue());
        assertEquals("name must be a string", lines.get(2).get("reason").textValue());
        assertEquals("6b1c3a2e-4d5f-4e6a-8b7c-9d0e1f2a3b4c", lines.get(2).get("message_id").textValue());
    }

    @Test
    void aBodyThatIsNotAJsonObjectFailsOnlyItsMessage() {
        SQSEvent.SQSMessage array = new SQSEvent.SQSMessage();
        array.setMessageId("array");
        array.setBody("[\"Ada\"]");
        SQSEvent.SQSMessage object = new SQSEvent.SQSMessage();
        object.setMessageId("object");
        object.setBody("{}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(array, object));
        TestContext context = new TestContext();
        SQSBatchResponse answer = new Handler().handleRequest(event, context);
        assertEquals(List.of("array"), answer.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals("the message body must be a JSON object",
                SampleEvents.parse(context.logged().lines().findFirst().orElseThrow()).get("reason").textValue());
    }
}
