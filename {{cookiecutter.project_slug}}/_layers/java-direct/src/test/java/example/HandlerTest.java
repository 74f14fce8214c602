package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Unit tests: the handler against every sample event, with no network and no emulator. */
class HandlerTest {

    private static Map<String, String> invoke(Map<String, Object> event, TestContext context) {
        return new Handler().handleRequest(event, context);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("example.SampleEvents#names")
    @SuppressWarnings("unchecked")
    void answersEachSampleEventAsExpected(String name) throws IOException {
        Map<String, Object> event = RuntimeJson.read(SampleEvents.event(name), Map.class);
        JsonNode expected = SampleEvents.expected(name);
        if (expected.has("errorMessage")) {
            Exception error = assertThrows(Exception.class, () -> invoke(event, new TestContext()));
            assertEquals(expected.get("errorMessage").textValue(), error.getMessage());
        } else {
            assertEquals(expected, RuntimeJson.write(invoke(event, new TestContext()), Map.class));
        }
    }

    @Test
    void greetsTheWorldWhenTheNameIsEmpty() {
        assertEquals(Map.of("message", "Hello, world!"), invoke(Map.of("name", ""), new TestContext()));
    }

    @Test
    void refusesANameThatIsNotAString() {
        Exception error = assertThrows(IllegalArgumentException.class,
                () -> invoke(Map.of("name", List.of("Ada")), new TestContext()));
        assertEquals("name must be a string", error.getMessage());
    }

    @Test
    void logsOneJsonLinePerRequest() throws IOException {
        TestContext context = new TestContext();
        invoke(Map.of("name", "Ada"), context);
        String[] lines = context.logged().split("\n");
        assertEquals(1, lines.length);
        JsonNode line = SampleEvents.JSON.readTree(lines[0]);
        assertEquals("greeted", line.get("message").textValue());
        assertEquals("example.Handler", line.get("logger").textValue());
        assertEquals("test-\"request\"", line.get("request_id").textValue());
        assertEquals(true, line.get("duration_ms").isNumber());
    }
}
