package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener that throws (a metrics bug, a full log) never changes a call's outcome, and its failure
 * is not swallowed silently either: each one is logged as a warning that names the policy type, the
 * listener's method and the policy. The test logging configuration silences the core's logger, so
 * these tests open it for themselves.
 */
class ThrowingListenersTest {

    private static final long START = 1L << 62;

    /** Held strongly, so that the level set here is not lost with a collected logger. */
    private final Logger core = Logger.getLogger("dev.retry.core");

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord logged) {
            warnings.add(logged);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level levelBefore;
    private boolean parentHandlersBefore;

    @BeforeEach
    void listenToTheCoresLogger() {
        levelBefore = core.getLevel();
        parentHandlersBefore = core.getUseParentHandlers();
        core.setLevel(Level.WARNING);
        core.setUseParentHandlers(false); // recorded here, not printed on the console
        core.addHandler(recorder);
    }

    @AfterEach
    void silenceItAgain() {
        core.removeHandler(recorder);
        core.setUseParentHandlers(parentHandlersBefore);
        core.setLevel(levelBefore);
    }

    /** A listener of {@code type} whose every event method throws. */
    private static <L> L throwing(Class<L> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    return "broken " + type.getSimpleName();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    throw new IllegalStateException("listener broke in " + method.getName());
            }
        }));
    }

    /** The warnings logged so far, as "logger: message". */
    private List<String> logged() {
        return warnings.stream()
                .filter(logged -> logged.getLevel() == Level.WARNING)
                .map(logged -> logged.getLoggerName() + ": " + messageOf(logged))
                .toList();
    }

    private static String messageOf(LogRecord logged) {
        return logged.getMessage();
    }

    @Test
    void aRetryListenerThatThrowsOnRetryAndOnSuccessIsLoggedAndTheCallSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy retry = RetryPolicy.builder()
                .name("orders")
                .maxAttempts(2)
                .delay(Duration.ZERO)
                .jitter(Jitter.NONE)
                .ticker(() -> START)
                .sleeper(nanos -> {})
                .listener(throwing(RetryListener.class))
                .build();
        String answer = retry.call(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("once");
            }
            return "second attempt";
        });
        assertThat(answer).isEqualTo("second attempt");
        assertThat(logged())
                .anyMatch(line ->
                        line.startsWith("dev.retry.core.RetryPolicy: ") && line.contains("onRetry failed for 'orders'"))
                .anyMatch(line -> line.contains("onSuccess failed for 'orders'"))
                .anyMatch(line -> line.contains("onCallSucceeded failed for 'orders'"));
    }

    @Test
    void aBreakerListenerThatThrowsOnEachCallIsLoggedAndTheCallSucceeds() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(() -> START)
                .listener(throwing(CircuitBreakerListener.class))
                .build();
        assertThat(breaker.call(() -> "ok")).isEqualTo("ok");
        assertThat(logged())
                .anyMatch(line -> line.startsWith("dev.retry.core.CircuitBreakerPolicy: ")
                        && line.contains("onCallRecorded failed for 'inventory'"))
                .as("a listener that cannot say whether it needs exact durations is logged too")
                .anyMatch(line -> line.contains("needsExactDurations failed for 'inventory'"));
    }

    @Test
    void aBreakerListenerThatThrowsWhenTheBreakerOpensAndWhenItRejectsIsLoggedAndTheBreakerStillRejects() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .countWindow(2)
                .minimumCalls(2)
                .ticker(() -> START)
                .listener(throwing(CircuitBreakerListener.class))
                .build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IllegalStateException("down");
                    }))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(() -> breaker.call(() -> "not called")).isInstanceOf(CircuitOpenException.class);
        assertThat(logged())
                .anyMatch(line -> line.startsWith("dev.retry.core.CircuitBreakerPolicy: ")
                        && line.contains("onStateTransition failed for 'inventory'"))
                .anyMatch(line -> line.startsWith("dev.retry.core.CircuitBreakerPolicy: ")
                        && line.contains("onCallRejected failed for 'inventory'"));
    }

    @Test
    void aBulkheadListenerThatThrowsOnARejectionIsLoggedAndTheCallerIsStillRefused() {
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .name("reports")
                .maxConcurrentCalls(1)
                .maxWait(Duration.ZERO)
                .listener(throwing(BulkheadListener.class))
                .build();
        assertThatThrownBy(() -> bulkhead.call(() -> bulkhead.call(() -> "no second permit")))
                .isInstanceOf(BulkheadFullException.class);
        assertThat(logged())
                .anyMatch(line -> line.startsWith("dev.retry.core.BulkheadPolicy: ")
                        && line.contains("onCallRejected failed for 'reports'"));
    }

    @Test
    void aBulkheadListenerThatThrowsOnAPermitIsLoggedAndTheCallSucceeds() {
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .name("reports")
                .maxConcurrentCalls(1)
                .listener(throwing(BulkheadListener.class))
                .build();
        assertThat(bulkhead.call(() -> "ok")).isEqualTo("ok");
        assertThat(logged())
                .anyMatch(line -> line.startsWith("dev.retry.core.BulkheadPolicy: ")
                        && line.contains("onCallPermitted failed for 'reports'"));
    }

    @Test
    void aFallbackListenerThatThrowsIsLoggedAndTheFallbackStillAnswers() throws Exception {
        FallbackPolicy fallback = FallbackPolicy.builder()
                .name("stock")
                .ticker(() -> START)
                .on(IOException.class, (failure, arguments) -> "cached")
                .listener(throwing(FallbackListener.class))
                .build();
        Object answer = fallback.call(() -> {
            throw new IOException("down");
        });
        assertThat(answer).isEqualTo("cached");
        assertThat(logged())
                .anyMatch(line -> line.startsWith("dev.retry.core.FallbackPolicy: ")
                        && line.contains("onFallback failed for 'stock'"));
    }

    @Test
    void aTimeoutListenerThatThrowsIsLoggedAndTheCallSucceeds() {
        TimeoutPolicy timeout = TimeoutPolicy.builder()
                .name("catalog")
                .duration(Duration.ofMinutes(1))
                .ticker(() -> START)
                .scheduler((task, delayNanos) -> () -> {})
                .listener(throwing(TimeoutListener.class))
                .build();
        assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
        assertThat(logged())
                .anyMatch(line -> line.startsWith("dev.retry.core.TimeoutPolicy: ")
                        && line.contains("onAttemptFinished failed for 'catalog'"));
    }

    @Test
    void aRetryListenerThatThrowsWhenTheBudgetRefusesAndTheCallFailsIsLoggedAndTheCallerGetsItsFailure() {
        RetryPolicy retry = RetryPolicy.builder()
                .name("orders")
                .maxAttempts(3)
                .budget(0.5, 0)
                .ticker(() -> START)
                .sleeper(nanos -> {})
                .listener(throwing(RetryListener.class))
                .build();
        IOException down = new IOException("down");
        assertThatThrownBy(() -> retry.call(() -> {
                    throw down;
                }))
                .isSameAs(down);
        assertThat(logged())
                .anyMatch(line -> line.contains("onBudgetExhausted failed for 'orders'"))
                .anyMatch(line -> line.contains("onFailure failed for 'orders'"));
    }

    @Test
    void aHedgeListenerThatThrowsOnEveryEventIsLoggedAndEveryCallEndsAsItWould() {
        VirtualClock time = new VirtualClock();
        HedgePolicy hedge = HedgePolicy.builder()
                .name("search")
                .delay(Duration.ofMillis(100))
                .ticker(time)
                .scheduler(time)
                .listener(throwing(HedgeListener.class))
                .build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        Supplier<CompletionStage<String>> service = () -> {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        };

        CompletableFuture<String> hedgeWins = hedge.callAsync(service);
        time.advance(Duration.ofMillis(100));
        attempts.get(1).complete("from the hedge");
        assertThat(hedgeWins).isCompletedWithValue("from the hedge");

        CompletableFuture<String> primaryWins = hedge.callAsync(service);
        time.advance(Duration.ofMillis(100));
        attempts.get(2).complete("from the primary");
        assertThat(primaryWins).isCompletedWithValue("from the primary");

        CompletableFuture<String> allFail = hedge.callAsync(service);
        time.advance(Duration.ofMillis(100));
        attempts.get(4).completeExceptionally(new IOException("primary down"));
        attempts.get(5).completeExceptionally(new IOException("hedge down"));
        assertThat(allFail).isCompletedExceptionally();

        CompletableFuture<String> cancelled = hedge.callAsync(service);
        time.advance(Duration.ofMillis(100));
        cancelled.cancel(true);

        assertThat(logged())
                .anyMatch(line -> line.startsWith("dev.retry.core.HedgePolicy: ")
                        && line.contains("onHedgeStarted failed for 'search'"))
                .anyMatch(line -> line.contains("onHedgeWon failed for 'search'"))
                .anyMatch(line -> line.contains("onPrimaryWon failed for 'search'"))
                .anyMatch(line -> line.contains("onAllFailed failed for 'search'"))
                .anyMatch(line -> line.contains("onCancelled failed for 'search'"));
    }

    @Test
    void aHedgeListenerThatThrowsWhenTheBudgetRefusesIsLoggedAndThePrimaryStillAnswers() {
        VirtualClock time = new VirtualClock();
        HedgePolicy hedge = HedgePolicy.builder()
                .name("search")
                .delay(Duration.ofMillis(100))
                .budget(0.05)
                .ticker(time)
                .scheduler(time)
                .listener(throwing(HedgeListener.class))
                .build();
        CompletableFuture<String> primary = new CompletableFuture<>();
        CompletableFuture<String> result = hedge.callAsync(() -> primary);
        time.advance(Duration.ofMillis(100)); // one call in the window earns no hedge
        primary.complete("from the primary");

        assertThat(result).isCompletedWithValue("from the primary");
        assertThat(logged()).anyMatch(line -> line.contains("onBudgetExhausted failed for 'search'"));
    }
}
