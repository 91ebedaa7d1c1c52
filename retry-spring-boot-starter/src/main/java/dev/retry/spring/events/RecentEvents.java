package dev.retry.spring.events;

import dev.retry.core.BulkheadListener;
import dev.retry.core.CircuitBreakerListener;
import dev.retry.core.CircuitState;
import dev.retry.core.HedgeEvent;
import dev.retry.core.HedgeListener;
import dev.retry.core.RetryEvent;
import dev.retry.core.RetryListener;
import dev.retry.core.Ticker;
import dev.retry.core.TimeoutListener;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.config.InvalidRetryConfigurationException.Problem;
import dev.retry.spring.registry.PolicyListeners;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The last events of every named policy, kept per name in a ring of {@code retry.events.buffer-size}
 * slots, newest first: what the {@code retryevents} endpoint shows.
 *
 * <h2>What is recorded</h2>
 *
 * <ul>
 *   <li>retry policies: {@code retry} (the attempt that failed, its exception, the delay before the
 *       next), {@code gave-up} (the attempts made, the last exception, the reason) and {@code
 *       budget-exhausted};
 *   <li>circuit breakers: {@code transition} ({@code from}, {@code to}), {@code rejected} (the
 *       {@code state} it refused in), {@code failure} and {@code slow-call} (the call's duration);
 *   <li>hedges: {@code hedge-started}, {@code hedge-won}, {@code all-failed}, {@code
 *       budget-exhausted} and {@code cancelled};
 *   <li>timeouts: {@code timeout} (how long the attempt ran);
 *   <li>bulkheads: {@code rejected}.
 * </ul>
 *
 * <p>A call that succeeds at its first attempt, in time, with a permit and through a closed breaker
 * records nothing, and this class's listeners allocate nothing for it.
 *
 * <h2>Memory</h2>
 *
 * <p>One ring per name, created when the registry builds the instance of that name and so bounded by
 * the configured instances and annotated methods. An annotation's inline variant, such as {@code
 * inventory @Retryable(maxAttempts=5)}, records under the name it varies. With a buffer size of 0
 * nothing is recorded, no listener is handed out at all, and every name shows an empty list.
 */
public final class RecentEvents implements PolicyListeners {

    /** The largest {@code retry.events.buffer-size}: beyond it a buffer is a log, which this is not. */
    public static final int MAX_BUFFER_SIZE = 10_000;

    private final int bufferSize;
    private final EventClock clock;
    private final Map<EventSection, Map<String, EventBuffer>> sections = new EnumMap<>(EventSection.class);

    /**
     * @param bufferSize the events kept per name, 0 to {@link #MAX_BUFFER_SIZE}; 0 records nothing
     * @param ticker the policies' ticker (their {@code PolicyTime}'s, or the system's), which dates
     *     the events
     * @param wallClock the instant the ticker's readings are counted from
     * @throws InvalidRetryConfigurationException naming {@code retry.events.buffer-size} when {@code
     *     bufferSize} is out of range
     */
    public RecentEvents(int bufferSize, Ticker ticker, Clock wallClock) {
        if (bufferSize < 0 || bufferSize > MAX_BUFFER_SIZE) {
            throw new InvalidRetryConfigurationException(List.of(new Problem(
                    "retry.events.buffer-size",
                    String.valueOf(bufferSize),
                    "a whole number from 0 (which records nothing) to " + MAX_BUFFER_SIZE
                            + " (events kept per name)")));
        }
        this.bufferSize = bufferSize;
        this.clock = new EventClock(ticker, wallClock);
        for (EventSection section : EventSection.values()) {
            sections.put(section, new ConcurrentHashMap<>());
        }
    }

    /** The events kept per name; 0 when recording is off. */
    public int bufferSize() {
        return bufferSize;
    }

    /** Forgets every name's events, keeping the names: what a test does between tests. */
    public void clear() {
        sections.values().forEach(byName -> byName.values().forEach(EventBuffer::clear));
    }

    /** The events of {@code name} in {@code section}, newest first; empty when no such name was built. */
    public Optional<List<RecentEvent>> events(EventSection section, String name) {
        EventBuffer buffer = sections.get(section).get(name);
        return buffer == null ? Optional.empty() : Optional.of(buffer.newestFirst());
    }

    /** Every name of {@code section} with its events, newest first, names in order. */
    public Map<String, List<RecentEvent>> events(EventSection section) {
        Map<String, List<RecentEvent>> byName = new TreeMap<>();
        sections.get(section).forEach((name, buffer) -> byName.put(name, buffer.newestFirst()));
        return Collections.unmodifiableMap(byName);
    }

    /**
     * Everything, as the endpoint writes it: {@code {"<section>": {"<name>": [event, ...]}}}, each
     * event {@link RecentEvent#describe() described}, sections in the endpoint's order.
     */
    public Map<String, Map<String, List<Map<String, Object>>>> describe() {
        Map<String, Map<String, List<Map<String, Object>>>> all = new LinkedHashMap<>();
        for (EventSection section : EventSection.values()) {
            Map<String, List<Map<String, Object>>> byName = new TreeMap<>();
            events(section)
                    .forEach((name, events) -> byName.put(
                            name, events.stream().map(RecentEvent::describe).toList()));
            all.put(section.key(), byName);
        }
        return all;
    }

    /** The buffer of {@code name}, made when the first instance of that name is built. */
    private @Nullable EventBuffer bufferFor(EventSection section, String name) {
        EventBuffer buffer = sections.get(section).computeIfAbsent(name, n -> EventBuffer.of(bufferSize));
        return buffer.capacity() == 0 ? null : buffer;
    }

    private void add(EventBuffer buffer, String kind, @Nullable Throwable failure, int attempt) {
        buffer.add(RecentEvent.of(clock.now(), kind, failure, attempt));
    }

    @Override
    public @Nullable RetryListener retryListener(String name) {
        EventBuffer buffer = bufferFor(EventSection.POLICIES, name);
        if (buffer == null) {
            return null;
        }
        // onSuccess is left alone on purpose: the policy then builds no event for a success.
        return new RetryListener() {
            @Override
            public void onRetry(RetryEvent event) {
                buffer.add(new RecentEvent(
                        clock.now(),
                        "retry",
                        RecentEvent.className(event.failure()),
                        event.attempts(),
                        null,
                        null,
                        null,
                        null,
                        event.delay()));
            }

            @Override
            public void onFailure(RetryEvent event) {
                buffer.add(new RecentEvent(
                        clock.now(),
                        "gave-up",
                        RecentEvent.className(event.failure()),
                        event.attempts(),
                        null,
                        null,
                        null,
                        event.reason() == null ? null : dashed(event.reason()),
                        null));
            }

            @Override
            public void onBudgetExhausted(RetryEvent event) {
                add(buffer, "budget-exhausted", event.failure(), event.attempts());
            }
        };
    }

    @Override
    public @Nullable CircuitBreakerListener circuitBreakerListener(String name) {
        EventBuffer buffer = bufferFor(EventSection.CIRCUIT_BREAKERS, name);
        if (buffer == null) {
            return null;
        }
        return new CircuitBreakerListener() {
            @Override
            public void onStateTransition(String breaker, CircuitState from, CircuitState to) {
                buffer.add(
                        new RecentEvent(clock.now(), "transition", null, 0, from.name(), to.name(), null, null, null));
            }

            @Override
            public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
                // A success in time is the healthy call: it records nothing and builds nothing.
                if (outcome == Outcome.FAILURE || (slow && outcome == Outcome.SUCCESS)) {
                    buffer.add(new RecentEvent(
                            clock.now(),
                            outcome == Outcome.FAILURE ? "failure" : "slow-call",
                            null,
                            0,
                            null,
                            null,
                            null,
                            null,
                            Duration.ofNanos(durationNanos)));
                }
            }

            @Override
            public void onCallRejected(String breaker, CircuitState state) {
                buffer.add(new RecentEvent(clock.now(), "rejected", null, 0, null, null, state.name(), null, null));
            }

            /**
             * The log keeps failures and slow calls, whose durations the breaker's coarse clock gives
             * to within 1/64 of the slow-call duration: the log alone must not make every healthy
             * call read the exact clock twice (the meters, when present, still ask for it).
             */
            @Override
            public boolean needsExactDurations() {
                return false;
            }
        };
    }

    @Override
    public @Nullable HedgeListener hedgeListener(String name) {
        EventBuffer buffer = bufferFor(EventSection.HEDGES, name);
        if (buffer == null) {
            return null;
        }
        return new HedgeListener() {
            @Override
            public void onHedgeStarted(HedgeEvent event) {
                add(buffer, "hedge-started", null, event.attempts());
            }

            @Override
            public void onHedgeWon(HedgeEvent event) {
                add(buffer, "hedge-won", null, event.winner());
            }

            @Override
            public void onAllFailed(HedgeEvent event) {
                add(buffer, "all-failed", event.failure(), event.attempts());
            }

            @Override
            public void onBudgetExhausted(HedgeEvent event) {
                add(buffer, "budget-exhausted", null, event.attempts());
            }

            @Override
            public void onCancelled(HedgeEvent event) {
                add(buffer, "cancelled", null, event.attempts());
            }
        };
    }

    @Override
    public @Nullable TimeoutListener timeoutListener(String name) {
        EventBuffer buffer = bufferFor(EventSection.TIMEOUTS, name);
        if (buffer == null) {
            return null;
        }
        return (timeout, outcome, durationNanos) -> {
            if (outcome == TimeoutListener.Outcome.TIMEOUT) {
                buffer.add(new RecentEvent(
                        clock.now(), "timeout", null, 0, null, null, null, null, Duration.ofNanos(durationNanos)));
            }
        };
    }

    @Override
    public @Nullable BulkheadListener bulkheadListener(String name) {
        EventBuffer buffer = bufferFor(EventSection.BULKHEADS, name);
        if (buffer == null) {
            return null;
        }
        return new BulkheadListener() {
            @Override
            public void onCallRejected(String bulkhead) {
                add(buffer, "rejected", null, 0);
            }
        };
    }

    /** {@code ATTEMPTS_EXHAUSTED} as {@code attempts-exhausted}, the way the YAML writes its choices. */
    private static String dashed(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
