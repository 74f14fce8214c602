package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonLogTest {

    @Test
    void writesOneJsonObjectOnOneLine() throws IOException {
        String line = JsonLog.info("greeted", JsonLogTest.class)
                .with("request_id", "a \"quoted\"\\ id\n").with("records", 3).with("duration_ms", 1.5).with("key", null)
                .toString();
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode parsed = SampleEvents.JSON.readTree(line);
        assertEquals(SampleEvents.JSON.readTree("""
                {"level": "INFO", "message": "greeted", "logger": "example.JsonLogTest",
                 "request_id": "a \\"quoted\\"\\\\ id\\n", "records": 3, "duration_ms": 1.5, "key": null}
                """), parsed);
    }

    @Test
    void anErrorCarriesItsStackTrace() throws IOException {
        String line = JsonLog.error("unexpected error", JsonLogTest.class)
                .withStackTrace(new IllegalStateException("boom")).toString();
        JsonNode parsed = SampleEvents.JSON.readTree(line);
        assertEquals("ERROR", parsed.get("level").textValue());
        assertTrue(parsed.get("stackTrace").textValue().startsWith("java.lang.IllegalStateException: boom\n\tat "),
                parsed.get("stackTrace").textValue());
    }
}
