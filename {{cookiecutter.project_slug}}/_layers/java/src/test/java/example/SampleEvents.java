package example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample events of {@code events/}, each with its expected answer ({@code NAME.expected.json}), and the
 * comparison the emulator test applies: answers as JSON, HTTP proxy responses as API Gateway reads them.
 */
final class SampleEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("events");

    private SampleEvents() {
    }

    /** The names of the sample events, for {@code @MethodSource}. */
    static Stream<String> names() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".json") && !name.endsWith(".expected.json"))
                    .map(name -> name.substring(0, name.length() - ".json".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    static byte[] event(String name) {
        try {
            return Files.readAllBytes(DIR.resolve(name + ".json"));
        } catch (IOException error) {
            throw new UncheckedIOException(error);
        }
    }

    static JsonNode expected(String name) {
        try {
            return JSON.readTree(DIR.resolve(name + ".expected.json").toFile());
        } catch (IOException error) {
            throw new UncheckedIOException(error);
        }
    }

    /** A JSON text parsed, such as a log line. */
    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException error) {
            throw new UncheckedIOException(error);
        }
    }

    /**
     * An answer as it is compared: a proxy response (it has a statusCode) with its header names in lower case,
     * its body parsed as JSON and its null fields and {@code "isBase64Encoded": false} left out; anything else as is.
     */
    static JsonNode comparable(JsonNode answer) {
        if (!(answer instanceof ObjectNode response) || !response.has("statusCode")) {
            return answer;
        }
        ObjectNode comparable = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> field : response.properties()) {
            if (!field.getValue().isNull()) {
                comparable.set(field.getKey(), field.getValue());
            }
        }
        if (comparable.path("isBase64Encoded").isBoolean() && !comparable.get("isBase64Encoded").booleanValue()) {
            comparable.remove("isBase64Encoded");
        }
        if (comparable.get("headers") instanceof ObjectNode headers) {
            ObjectNode lowerCase = JSON.createObjectNode();
            headers.properties().forEach(header -> lowerCase.set(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
            comparable.set("headers", lowerCase);
        }
        if (comparable.path("body").isTextual()) {
            try {
                comparable.set("body", JSON.readTree(comparable.get("body").textValue()));
            } catch (IOException notJson) {
                // A body that is not JSON is compared as the text it is.
            }
        }
        return comparable;
    }
}
