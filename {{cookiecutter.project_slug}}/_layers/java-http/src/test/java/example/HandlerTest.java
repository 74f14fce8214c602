package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP handler against every sample event, and the cases events cannot show, with no network. */
class HandlerTest {

    private static JsonNode invoke(Handler handler, byte[] event, TestContext context) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), answer, context);
        return SampleEvents.JSON.readTree(answer.toByteArray());
    }

    /** A payload 2.0 POST to /hello, its body base64-encoded as function URLs send it; no body when null. */
    private static byte[] postToHello(byte[] body) throws IOException {
        ObjectNode event = SampleEvents.JSON.createObjectNode().put("version", "2.0").put("rawPath", "/hello");
        event.putObject("requestContext").putObject("http").put("method", "POST").put("path", "/hello");
        if (body != null) {
            event.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
        }
        return SampleEvents.JSON.writeValueAsBytes(event);
    }

    private static JsonNode answer(int statusCode, String body) throws IOException {
        return SampleEvents.JSON.readTree("{\"statusCode\": " + statusCode
                + ", \"headers\": {\"content-type\": \"application/json\"}, \"body\": " + body + "}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("example.SampleEvents#names")
    void answersEachSampleEventAsExpected(String name) throws IOException {
        JsonNode answer = invoke(new Handler(), SampleEvents.event(name), new TestContext());
        assertEquals(SampleEvents.comparable(SampleEvents.expected(name)), SampleEvents.comparable(answer));
    }

    @Test
    void aPostWithoutABodyGreetsTheWorld() throws IOException {
        JsonNode answer = invoke(new Handler(), postToHello(null), new TestContext());
        assertEquals(answer(200, "{\"message\": \"Hello, world!\"}"), SampleEvents.comparable(answer));
    }

    @Test
    void aBodyThatIsNotUtf8IsNotValidJson() throws IOException {
        byte[] latin1 = "{\"name\": \"Zoë\"}".getBytes(StandardCharsets.ISO_8859_1);
        JsonNode answer = invoke(new Handler(), postToHello(latin1), new TestContext());
        assertEquals(answer(400, "{\"error\": \"the request body is not valid JSON\"}"), SampleEvents.comparable(answer));
    }

    @Test
    void anUnexpectedErrorIsLoggedWithItsStackAndAnswered500WithoutIt() throws IOException {
        Handler broken = new Handler(name -> {
            throw new IllegalStateException("the greeting store is down");
        });
        TestContext context = new TestContext();
        JsonNode answer = invoke(broken, postToHello("{\"name\": \"Ada\"}".getBytes(StandardCharsets.UTF_8)), context);
        assertEquals(answer(500, "{\"error\": \"internal error\"}"), SampleEvents.comparable(answer));
        assertFalse(answer.toString().contains("greeting store"), answer.toString());
        JsonNode logged = SampleEvents.JSON.readTree(context.logged().lines().findFirst().orElseThrow());
        assertEquals("ERROR", logged.get("level").textValue());
        assertTrue(logged.get("stackTrace").textValue()
                .startsWith("java.lang.IllegalStateException: the greeting store is down\n\tat "), logged.toString());
    }

    @Test
    void logsOneJsonLinePerRequestWithItsStatus() throws IOException {
        TestContext context = new TestContext();
        invoke(new Handler(), SampleEvents.event("get-unknown-path"), context);
        JsonNode line = SampleEvents.JSON.readTree(context.logged());
        assertEquals("answered", line.get("message").textValue());
        assertEquals(404, line.get("status").intValue());
        assertEquals("test-\"request\"", line.get("request_id").textValue());
    }
}
