package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Function;

/**
 * Lambda handler for HTTP: API Gateway HTTP APIs and function URLs (payload format 2.0) and REST APIs (1.0).
 * {@code GET /hello?name=Ada} and {@code POST /hello} with {@code {"name": "Ada"}} answer
 * {@code {"message": "Hello, Ada!"}}; every answer is a proxy response with a JSON body, errors as
 * {@code {"error": "..."}}.
 *
 * <p>A stream handler, because one entry point reads both payload formats: aws-lambda-java-events has a class
 * for each ({@code APIGatewayV2HTTPEvent}, {@code APIGatewayProxyRequestEvent}), and the runtime can read an
 * event into one class only.
 */
public final class Handler implements RequestStreamHandler {

    static final String ROUTE = "/hello";
    static final String ALLOWED_METHODS = "GET, POST";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Function<Object, String> greeter;

    public Handler() {
        this(Greeter::greet);
    }

    /** A handler calling the given business logic, so that tests can make it fail. */
    Handler(Function<Object, String> greeter) {
        this.greeter = greeter;
    }

    @Override
    public void handleRequest(InputStream event, OutputStream answer, Context context) throws IOException {
        long started = System.nanoTime();
        HttpResponse response;
        try {
            response = route(HttpRequest.from(JSON.readTree(event)));
        } catch (BadRequest error) {
            response = error(400, error.getMessage());
        } catch (Exception error) {
            // The stack goes to the log only: a caller learns nothing of the code from an error.
            context.getLogger().log(JsonLog.error("unexpected error", Handler.class)
                    .with("request_id", context.getAwsRequestId()).withStackTrace(error).toString(), LogLevel.ERROR);
            response = error(500, "internal error");
        }
        context.getLogger().log(JsonLog.info("answered", Handler.class)
                .with("request_id", context.getAwsRequestId())
                .with("status", response.statusCode())
                .with("duration_ms", JsonLog.millisSince(started))
                .toString(), LogLevel.INFO);
        JSON.writeValue(answer, response);
    }

    private HttpResponse route(HttpRequest request) {
        if (!ROUTE.equals(request.path())) {
            return error(404, "not found");
        }
        Object name;
        if ("GET".equals(request.method())) {
            name = request.query().get("name");
        } else if ("POST".equals(request.method())) {
            name = jsonObject(request.body()).get("name");
        } else {
            return error(405, "method not allowed").withHeader("allow", ALLOWED_METHODS);
        }
        String message;
        try {
            message = greeter.apply(name);
        } catch (IllegalArgumentException invalidName) {
            throw new BadRequest(invalidName.getMessage());
        }
        return HttpResponse.json(200, json(Map.of("message", message)));
    }

    /** The request body as a JSON object; no body at all is an empty one. */
    private static Map<?, ?> jsonObject(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = JSON.readValue(body, Object.class); // bytes: a body that is not UTF-8 is not valid JSON either
        } catch (IOException notJson) {
            throw new BadRequest("the request body is not valid JSON");
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw new BadRequest("the request body must be a JSON object");
        }
        return object;
    }

    private static HttpResponse error(int statusCode, String message) {
        return HttpResponse.json(statusCode, json(Map.of("error", message)));
    }

    private static String json(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException error) {
            throw new UncheckedIOException(error); // a map of strings always serialises: not expected
        }
    }

    /** A request the caller must fix: answered 400 with this message. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
