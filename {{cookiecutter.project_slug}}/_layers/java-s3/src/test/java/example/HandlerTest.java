package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The S3 handler against every sample notification, with no network and no bucket. */
class HandlerTest {

    private static Handler.Processed invoke(String name, TestContext context) {
        return new Handler().handleRequest(RuntimeJson.read(SampleEvents.event(name), S3Event.class), context);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("example.SampleEvents#names")
    void answersEachSampleEventAsExpected(String name) throws IOException {
        JsonNode answer = RuntimeJson.write(invoke(name, new TestContext()), Handler.Processed.class);
        assertEquals(SampleEvents.expected(name), answer);
    }

    @Test
    void logsOneJsonLinePerObjectCreated() {
        TestContext context = new TestContext();
        invoke("mixed-records", context);
        List<JsonNode> lines = context.logged().lines().map(SampleEvents::parse).toList();
        assertEquals(List.of("reports/1+1 = 2.csv", "uploads/plain.txt"),
                lines.stream().map(line -> line.get("key").textValue()).toList());
        assertEquals("object created", lines.get(0).get("message").textValue());
        assertEquals(5242880, lines.get(0).get("size").longValue());
    }
}
