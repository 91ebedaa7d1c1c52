package dev.retry.spring.events;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing that happened to a named policy, as the {@code retryevents} endpoint shows it. Immutable,
 * so that a reader sees all of an event or none of it, whatever the writers do.
 *
 * @param time when it happened, on the policies' clock
 * @param kind what happened, such as {@code retry} or {@code transition}
 * @param exception the class name of the failure, where there was one
 * @param attempt the attempt it concerns, the first being 1; 0 where none does
 * @param from the state a breaker left, for a transition
 * @param to the state a breaker entered, for a transition
 * @param state the state a breaker refused a call in
 * @param reason why a retry policy gave up, such as {@code attempts-exhausted}
 * @param duration how long: the delay before a retry, or how long a call or attempt ran
 */
public record RecentEvent(
        Instant time,
        String kind,
        @Nullable String exception,
        int attempt,
        @Nullable String from,
        @Nullable String to,
        @Nullable String state,
        @Nullable String reason,
        @Nullable Duration duration) {

    public RecentEvent {
        Objects.requireNonNull(time, "time must not be null");
        Objects.requireNonNull(kind, "kind must not be null");
    }

    static RecentEvent of(Instant time, String kind, @Nullable Throwable failure, int attempt) {
        return new RecentEvent(time, kind, className(failure), attempt, null, null, null, null, null);
    }

    /** The class name of {@code failure}, or {@code null} for a result that was not accepted. */
    static @Nullable String className(@Nullable Throwable failure) {
        return failure == null ? null : failure.getClass().getName();
    }

    /**
     * The event as the endpoint writes it: {@code time} (ISO-8601) and {@code kind} first, then only
     * the fields that apply, so that a transition shows no {@code exception: null}.
     */
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", time.toString());
        fields.put("kind", kind);
        putIfPresent(fields, "exception", exception);
        if (attempt > 0) {
            fields.put("attempt", attempt);
        }
        putIfPresent(fields, "from", from);
        putIfPresent(fields, "to", to);
        putIfPresent(fields, "state", state);
        putIfPresent(fields, "reason", reason);
        putIfPresent(fields, "duration", duration == null ? null : duration.toString());
        return fields;
    }

    private static void putIfPresent(Map<String, Object> fields, String key, @Nullable String value) {
        if (value != null) {
            fields.put(key, value);
        }
    }
}
