package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.time.Instant;

/**
 * Lambda handler for an EventBridge schedule: does its job once per event and logs it keyed by the event id,
 * so that a redelivered event (EventBridge delivers at least once) is recognisable in the logs.
 */
public final class Handler implements RequestHandler<ScheduledEvent, Handler.Run> {

    /** What one scheduled run did: the event it ran for, the time it was scheduled for, its greeting. */
    public record Run(String eventId, String scheduledTime, String message) {
    }

    @Override
    public Run handleRequest(ScheduledEvent event, Context context) {
        // ScheduledEvent holds the time as a Joda DateTime, whose text has milliseconds; EventBridge sends it to
        // the second in UTC, which java.time's ISO-8601 text reproduces: "2026-11-29T12:00:00Z".
        String scheduledTime = Instant.ofEpochMilli(event.getTime().getMillis()).toString();
        Run run = new Run(event.getId(), scheduledTime, Greeter.greet(null));
        context.getLogger().log(JsonLog.info("scheduled run", Handler.class)
                .with("event_id", run.eventId()).with("scheduled_time", run.scheduledTime())
                .with("greeting", run.message()).toString(), LogLevel.INFO);
        return run;
    }
}
