package dev.retry.spring.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.core.BulkheadFullException;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.core.HedgeEvent;
import dev.retry.core.HedgeListener;
import dev.retry.core.RetryPolicy;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import dev.retry.core.TimeoutListener;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each policy's recent events keep, read after real calls on a hand-moved clock. */
class RecentEventsTests {

    private static final Instant START = Instant.parse("2026-12-03T17:00:00Z");

    /** Starts at an odd reading, so that a stamp taken from the raw reading would show. */
    private long now = 123_456_789L;

    private final Ticker ticker = () -> now;
    private final Sleeper sleeper = nanos -> now += nanos;
    private final RecentEvents events = new RecentEvents(100, ticker, Clock.fixed(START, ZoneOffset.UTC));

    private RetryPolicy inventoryPolicy(int maxAttempts) {
        return RetryPolicy.builder()
                .name("inventory")
                .maxAttempts(maxAttempts)
                .delay(Duration.ofSeconds(2))
                .jitter(dev.retry.core.Jitter.NONE)
                .backoff(dev.retry.core.Backoff.FIXED)
                .ticker(ticker)
                .sleeper(sleeper)
                .listener(events.retryListener("inventory"))
                .build();
    }

    private List<RecentEvent> of(EventSection section, String name) {
        return events.events(section, name).orElseThrow();
    }

    @Test
    void aRetryPolicyKeepsItsRetriesAndGiveUpsNewestFirstDatedOnItsClockAndASuccessAtOnceKeepsNothing() {
        RetryPolicy policy = inventoryPolicy(3);
        assertThat(policy.call(() -> "in stock")).isEqualTo("in stock");
        assertThat(of(EventSection.POLICIES, "inventory")).as("a healthy call").isEmpty();

        assertThatThrownBy(() -> policy.call(() -> {
                    throw new UncheckedIOException(new IOException("down"));
                }))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(of(EventSection.POLICIES, "inventory"))
                .extracting(RecentEvent::kind, RecentEvent::attempt, RecentEvent::exception, RecentEvent::time)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "gave-up", 3, "java.io.UncheckedIOException", START.plusSeconds(4)),
                        org.assertj.core.groups.Tuple.tuple(
                                "retry", 2, "java.io.UncheckedIOException", START.plusSeconds(2)),
                        org.assertj.core.groups.Tuple.tuple("retry", 1, "java.io.UncheckedIOException", START));
        RecentEvent gaveUp = of(EventSection.POLICIES, "inventory").get(0);
        assertThat(gaveUp.reason()).isEqualTo("attempts-exhausted");
        assertThat(of(EventSection.POLICIES, "inventory").get(2).duration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theEndpointsFormShowsOnlyTheFieldsThatApply() {
        RetryPolicy policy = inventoryPolicy(2);
        assertThatThrownBy(() -> policy.call(() -> {
                    throw new IllegalStateException("down");
                }))
                .isInstanceOf(IllegalStateException.class);

        Map<String, Object> retry =
                events.describe().get("policies").get("inventory").get(1);
        assertThat(retry)
                .containsExactly(
                        Map.entry("time", "2026-12-03T17:00:00Z"),
                        Map.entry("kind", "retry"),
                        Map.entry("exception", "java.lang.IllegalStateException"),
                        Map.entry("attempt", 1),
                        Map.entry("duration", "PT2S"));
    }

    @Test
    void aBreakerKeepsItsTransitionsRefusalsAndFailuresButNotItsSuccesses() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("payments")
                .minimumCalls(2)
                .countWindow(2)
                .failureRateThreshold(50)
                .ticker(ticker)
                .listener(events.circuitBreakerListener("payments"))
                .build();
        assertThat(breaker.call(() -> "paid")).isEqualTo("paid");
        assertThat(of(EventSection.CIRCUIT_BREAKERS, "payments"))
                .as("a healthy call")
                .isEmpty();
        now += 1_000_000_000L;
        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new IllegalStateException("declined");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> breaker.call(() -> "refused")).isInstanceOf(CircuitOpenException.class);

        assertThat(of(EventSection.CIRCUIT_BREAKERS, "payments"))
                .extracting(RecentEvent::kind, RecentEvent::from, RecentEvent::to, RecentEvent::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("rejected", null, null, "OPEN"),
                        org.assertj.core.groups.Tuple.tuple("transition", "CLOSED", "OPEN", null),
                        org.assertj.core.groups.Tuple.tuple("failure", null, null, null));
        assertThat(of(EventSection.CIRCUIT_BREAKERS, "payments").get(1).time()).isEqualTo(START.plusSeconds(1));
        breaker.transitionTo(CircuitState.FORCED_OPEN);
        assertThat(of(EventSection.CIRCUIT_BREAKERS, "payments").get(0).describe())
                .containsEntry("from", "OPEN")
                .containsEntry("to", "FORCED_OPEN")
                .doesNotContainKeys("exception", "attempt", "state");
    }

    @Test
    void aBulkheadKeepsItsRefusals() {
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .name("reports")
                .maxConcurrentCalls(1)
                .listener(events.bulkheadListener("reports"))
                .build();
        assertThatThrownBy(() -> bulkhead.call(() -> bulkhead.call(() -> "second")))
                .isInstanceOf(BulkheadFullException.class);
        assertThat(of(EventSection.BULKHEADS, "reports"))
                .extracting(RecentEvent::kind)
                .containsExactly("rejected");
    }

    @Test
    void aTimeoutKeepsTheAttemptsThatOverranNotThoseThatEndedInTime() {
        TimeoutListener listener = events.timeoutListener("search");
        listener.onAttemptFinished("search", TimeoutListener.Outcome.SUCCESS, 1_000);
        listener.onAttemptFinished("search", TimeoutListener.Outcome.FAILURE, 1_000);
        listener.onAttemptFinished("search", TimeoutListener.Outcome.TIMEOUT, 1_500_000_000L);
        assertThat(of(EventSection.TIMEOUTS, "search"))
                .extracting(RecentEvent::kind, RecentEvent::duration)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("timeout", Duration.ofMillis(1500)));
    }

    @Test
    void aHedgeKeepsHedgesStartedAndWonButNotAPrimaryThatWon() {
        HedgeListener listener = events.hedgeListener("search");
        HedgeEvent primaryWon = new HedgeEvent("search", 1, 1, Duration.ofMillis(50), Duration.ofMillis(10), null);
        listener.onPrimaryWon(primaryWon);
        assertThat(of(EventSection.HEDGES, "search")).as("a healthy call").isEmpty();
        listener.onHedgeStarted(new HedgeEvent("search", 2, 0, Duration.ofMillis(50), Duration.ofMillis(50), null));
        listener.onHedgeWon(new HedgeEvent("search", 2, 2, Duration.ofMillis(50), Duration.ofMillis(60), null));
        listener.onAllFailed(new HedgeEvent(
                "search", 2, 0, Duration.ofMillis(50), Duration.ofMillis(90), new IllegalStateException("both")));
        assertThat(of(EventSection.HEDGES, "search"))
                .extracting(RecentEvent::kind, RecentEvent::attempt, RecentEvent::exception)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("all-failed", 2, "java.lang.IllegalStateException"),
                        org.assertj.core.groups.Tuple.tuple("hedge-won", 2, null),
                        org.assertj.core.groups.Tuple.tuple("hedge-started", 2, null));
    }

    @Test
    void aBufferKeepsItsSizeDroppingTheOldest() {
        RecentEvents three = new RecentEvents(3, ticker, Clock.fixed(START, ZoneOffset.UTC));
        TimeoutListener listener = three.timeoutListener("search");
        for (int seconds = 1; seconds <= 5; seconds++) {
            listener.onAttemptFinished("search", TimeoutListener.Outcome.TIMEOUT, seconds * 1_000_000_000L);
        }
        assertThat(three.events(EventSection.TIMEOUTS, "search").orElseThrow())
                .extracting(RecentEvent::duration)
                .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(4), Duration.ofSeconds(3));
    }

    @Test
    void aBufferSizeOfZeroHandsOutNoListenerAndShowsEveryNameWithAnEmptyList() {
        RecentEvents off = new RecentEvents(0, ticker, Clock.systemUTC());
        assertThat(off.retryListener("inventory")).isNull();
        assertThat(off.circuitBreakerListener("payments")).isNull();
        assertThat(off.hedgeListener("search")).isNull();
        assertThat(off.timeoutListener("search")).isNull();
        assertThat(off.bulkheadListener("reports")).isNull();
        assertThat(off.describe())
                .containsExactly(
                        Map.entry("policies", Map.of("inventory", List.of())),
                        Map.entry("circuit-breakers", Map.of("payments", List.of())),
                        Map.entry("hedges", Map.of("search", List.of())),
                        Map.entry("timeouts", Map.of("search", List.of())),
                        Map.entry("bulkheads", Map.of("reports", List.of())));
    }

    @Test
    void aNameNeverBuiltHasNoEvents() {
        assertThat(events.events(EventSection.POLICIES, "unknown")).isEmpty();
        assertThat(events.describe().get("policies")).isEmpty();
    }

    @Test
    void aBufferSizeOutOfRangeIsRefusedNamingTheKeyAndWhatItAllows() {
        assertThatThrownBy(() -> new RecentEvents(-1, ticker, Clock.systemUTC()))
                .isInstanceOf(InvalidRetryConfigurationException.class)
                .hasMessage("Invalid retry configuration: retry.events.buffer-size was '-1', but it must be a whole"
                        + " number from 0 (which records nothing) to 10000 (events kept per name)");
        assertThatThrownBy(() -> new RecentEvents(10_001, ticker, Clock.systemUTC()))
                .hasMessageContaining("retry.events.buffer-size was '10001'");
        assertThat(new RecentEvents(10_000, ticker, Clock.systemUTC()).bufferSize())
                .isEqualTo(10_000);
    }

    @Test
    void theBreakerLogLeavesASystemClockBreakerOnItsCoarseClockAndStillKeepsItsSlowCalls() {
        RecentEvents systemClockEvents = new RecentEvents(100, Ticker.system(), Clock.systemUTC());
        dev.retry.core.CircuitBreakerListener log = systemClockEvents.circuitBreakerListener("inventory");
        assertThat(log.needsExactDurations())
                .as("a healthy call must not read the exact clock twice for the log alone")
                .isFalse();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .slowCallDuration(Duration.ofMillis(100)) // timed by the coarse clock, in steps of ~1.6 ms
                .listener(log)
                .build();
        breaker.run(() -> java.util.concurrent.locks.LockSupport.parkNanos(
                Duration.ofMillis(300).toNanos()));
        assertThat(systemClockEvents
                        .events(EventSection.CIRCUIT_BREAKERS, "inventory")
                        .orElseThrow())
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.kind()).isEqualTo("slow-call");
                    assertThat(event.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
                });
    }
}
