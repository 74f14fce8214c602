package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The schedule handler against every sample event, with no network and no rule. */
class HandlerTest {

    private static Handler.Run invoke(String name, TestContext context) {
        return new Handler().handleRequest(RuntimeJson.read(SampleEvents.event(name), ScheduledEvent.class), context);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("example.SampleEvents#names")
    void answersEachSampleEventAsExpected(String name) throws IOException {
        JsonNode answer = RuntimeJson.write(invoke(name, new TestContext()), Handler.Run.class);
        assertEquals(SampleEvents.expected(name), answer);
    }

    @Test
    void logsTheRunKeyedByTheEventId() {
        TestContext context = new TestContext();
        invoke("scheduled-event", context);
        JsonNode line = SampleEvents.parse(context.logged());
        assertEquals("scheduled run", line.get("message").textValue());
        assertEquals("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", line.get("event_id").textValue());
        assertEquals("2026-11-29T12:00:00Z", line.get("scheduled_time").textValue());
    }
}
