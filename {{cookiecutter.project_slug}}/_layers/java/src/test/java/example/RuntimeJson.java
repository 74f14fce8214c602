package example;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Events read and answers written as the Java runtime interface client does: with its own serializers, the
 * event types' mixins for aws-lambda-java-events classes, its Jackson settings for the others. So a field the
 * runtime would leave empty, or name differently, fails a unit test. The serializers are the ones the
 * runtime interface client in pom.xml brings (aws-lambda-java-serialization).
 */
final class RuntimeJson {

    private RuntimeJson() {
    }

    static <T> T read(byte[] json, Class<T> type) {
        return serializerFor(type).fromJson(new ByteArrayInputStream(json));
    }

    /** The answer as the runtime sends it back, parsed for comparison. */
    static <T> JsonNode write(T answer, Class<T> type) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializerFor(type).toJson(answer, out);
        return SampleEvents.JSON.readTree(out.toByteArray());
    }

    // The choice the client's EventHandlerLoader makes for a RequestHandler's input and output types.
    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> serializerFor(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, RuntimeJson.class.getClassLoader());
        }
        return (PojoSerializer<T>) JacksonFactory.getInstance().getSerializer(type);
    }
}
