package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Unit tests: the handler against every sample event, with no network and no emulator. */
class HandlerTest {

    private static final Path EVENTS = Path.of("events");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    static Stream<String> sampleEvents() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".json") && !name.endsWith(".expected.json"))
                    .map(name -> name.substring(0, name.length() - ".json".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void handlerAnswersEachSampleEventAsExpected(String name) throws IOException {
        Map<String, Object> event = JSON.readValue(EVENTS.resolve(name + ".json").toFile(), OBJECT);
        Map<String, Object> expected = JSON.readValue(EVENTS.resolve(name + ".expected.json").toFile(), OBJECT);
        Handler handler = new Handler();
        if (expected.containsKey("errorMessage")) {
            Exception error = assertThrows(Exception.class, () -> handler.handleRequest(event, new TestContext()));
            assertEquals(expected.get("errorMessage"), error.getMessage());
        } else {
            assertEquals(expected, handler.handleRequest(event, new TestContext()));
        }
    }

    @Test
    void greetsWorldWhenNameIsEmpty() {
        assertEquals(Map.of("message", "Hello, world!"), Handler.greet(""));
    }

    @Test
    void rejectsANameThatIsNotAString() {
        Exception error = assertThrows(IllegalArgumentException.class, () -> Handler.greet(List.of("Ada")));
        assertEquals("name must be a string", error.getMessage());
    }

    @Test
    void logsOneJsonLinePerRequest() throws IOException {
        TestContext context = new TestContext();
        new Handler().handleRequest(Map.of("name", "Ada"), context);
        String[] lines = context.logged().split("\n");
        assertEquals(1, lines.length);
        Map<String, Object> line = JSON.readValue(lines[0], OBJECT);
        assertEquals(Map.of("level", "INFO", "message", "greeted", "logger", "example.Handler",
                "request_id", "test-\"request\"", "duration_ms", line.get("duration_ms")), line);
    }
}
