package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.util.List;

/**
 * Lambda handler for S3: each object created in the bucket (records whose eventName starts with "ObjectCreated:")
 * is logged and answered as {"bucket", "key", "size"}; other records, such as removals, are skipped.
 */
public final class Handler implements RequestHandler<S3Event, Handler.Processed> {

    /** An object created: its key URL-decoded, as S3 sends keys URL-encoded with '+' for spaces. */
    public record CreatedObject(String bucket, String key, long size) {
    }

    /** The answer: the objects created, in the order of the records. */
    public record Processed(List<CreatedObject> processed) {
    }

    @Override
    public Processed handleRequest(S3Event event, Context context) {
        List<CreatedObject> created = event.getRecords().stream()
                .filter(record -> record.getEventName().startsWith("ObjectCreated:"))
                .map(Handler::createdObject)
                .toList();
        for (CreatedObject object : created) {
            context.getLogger().log(JsonLog.info("object created", Handler.class)
                    .with("bucket", object.bucket()).with("key", object.key()).with("size", object.size()).toString(),
                    LogLevel.INFO);
        }
        return new Processed(created);
    }

    private static CreatedObject createdObject(S3EventNotificationRecord record) {
        var object = record.getS3().getObject();
        return new CreatedObject(record.getS3().getBucket().getName(), object.getUrlDecodedKey(), object.getSizeAsLong());
    }
}
