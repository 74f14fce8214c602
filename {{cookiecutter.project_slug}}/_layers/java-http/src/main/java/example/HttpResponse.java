package example;

import java.util.HashMap;
import java.util.Map;

/** A proxy response, the shape both payload formats expect back: a status, headers and a JSON body as a string. */
record HttpResponse(int statusCode, Map<String, String> headers, String body) {

    static HttpResponse json(int statusCode, String body) {
        return new HttpResponse(statusCode, Map.of("content-type", "application/json"), body);
    }

    HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(statusCode, Map.copyOf(more), body);
    }
}
