package example;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What the handler reads of a request, from either payload format API Gateway sends.
 *
 * <ul>
 *   <li>2.0, HTTP APIs and function URLs: {@code version} "2.0", {@code rawPath},
 *       {@code requestContext.http.method}; no {@code queryStringParameters} without a query string.</li>
 *   <li>1.0, REST APIs: {@code httpMethod}, {@code path}; {@code queryStringParameters} and {@code body} null
 *       when absent.</li>
 * </ul>
 * Both carry {@code body} and {@code isBase64Encoded}: function URLs send most bodies base64-encoded, API Gateway
 * does for binary media types. The body here is always the bytes sent.
 */
record HttpRequest(String method, String path, Map<String, String> query, byte[] body) {

    static HttpRequest from(JsonNode event) {
        boolean httpApi = "2.0".equals(event.path("version").textValue());
        String method = httpApi
                ? event.path("requestContext").path("http").path("method").textValue()
                : event.path("httpMethod").textValue();
        String path = httpApi ? event.path("rawPath").textValue() : event.path("path").textValue();
        Map<String, String> query = new HashMap<>();
        event.path("queryStringParameters").properties()
                .forEach(parameter -> query.put(parameter.getKey(), parameter.getValue().textValue()));
        String body = event.path("body").textValue();
        byte[] bytes = body == null ? new byte[0]
                : event.path("isBase64Encoded").booleanValue() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(method, path, query, bytes);
    }
}
