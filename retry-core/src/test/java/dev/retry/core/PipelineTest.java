package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The policies composed: the order the contract promises and what it means for a caller. */
class PipelineTest {

    private final VirtualClock time = new VirtualClock();
    private final List<Throwable> fallbackSaw = new ArrayList<>();

    private RetryPolicy retry(int attempts) {
        return RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .maxAttempts(attempts)
                .build();
    }

    private CircuitBreakerPolicy breaker() {
        return CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(time)
                .countWindow(10)
                .minimumCalls(3)
                .failureRateThreshold(50)
                .halfOpenCalls(1)
                .build();
    }

    private BulkheadPolicy bulkhead(int max) {
        return BulkheadPolicy.builder()
                .name("pool")
                .maxConcurrentCalls(max)
                .scheduler(time)
                .build();
    }

    private TimeoutPolicy timeout() {
        return TimeoutPolicy.builder()
                .name("catalog")
                .duration(Duration.ofSeconds(1))
                .scheduler(time)
                .ticker(time)
                .build();
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private FallbackPolicy fallback() {
        return FallbackPolicy.builder()
                .on(Exception.class, (failure, argument) -> {
                    fallbackSaw.add(failure);
                    return "fallback";
                })
                .build();
    }

    @Test
    void everyRetryAttemptPassesTheBreakerAndARefusalStopsTheRetriesAndReachesTheFallback() throws IOException {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder()
                .fallback(fallback())
                .retry(retry(6))
                .circuitBreaker(breaker)
                .build();
        int[] calls = {0};

        String result = pipeline.call(() -> {
            calls[0]++;
            throw new IOException("down");
        });

        assertThat(result).isEqualTo("fallback");
        assertThat(calls[0])
                .as("the breaker opened after three failed attempts")
                .isEqualTo(3);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(3);
        assertThat(breaker.snapshot().notPermittedCalls())
                .as("the fourth attempt was refused, once")
                .isEqualTo(1);
        assertThat(fallbackSaw).singleElement().isInstanceOf(CircuitOpenException.class);
        assertThat(time.sleeps()).as("no wait after the refusal").hasSize(3);
    }

    @Test
    void theFallbackSeesTheLastFailureAfterTheRetriesWithTheEarlierOnesAttached() throws IOException {
        Pipeline pipeline = Pipeline.builder()
                .circuitBreaker(CircuitBreakerPolicy.builder().ticker(time).build())
                .retry(retry(3))
                .fallback(fallback())
                .build();
        int[] calls = {0};
        String result = pipeline.call(() -> {
            throw new IOException("attempt " + ++calls[0]);
        });
        assertThat(result).isEqualTo("fallback");
        assertThat(fallbackSaw).singleElement().satisfies(failure -> {
            assertThat(failure).hasMessage("attempt 3");
            assertThat(failure.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("attempt 1", "attempt 2");
        });
    }

    @Test
    void withoutAFallbackTheCallerGetsTheRefusalItself() {
        CircuitBreakerPolicy breaker = breaker();
        breaker.transitionTo(CircuitState.FORCED_OPEN);
        Pipeline pipeline =
                Pipeline.builder().retry(retry(3)).circuitBreaker(breaker).build();
        assertThatThrownBy(() -> pipeline.call(() -> "never")).isInstanceOf(CircuitOpenException.class);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aSuccessPassesStraightThroughEveryPolicy() throws Exception {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder()
                .fallback(fallback())
                .retry(retry(3))
                .circuitBreaker(breaker)
                .build();
        assertThat(pipeline.call(() -> "fresh")).isEqualTo("fresh");
        String upper = pipeline.call(String::toUpperCase, "sku");
        assertThat(upper).isEqualTo("SKU");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);
        assertThat(fallbackSaw).isEmpty();
    }

    @Test
    void asynchronousCallsComposeInTheSameOrder() {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder()
                .fallback(fallback())
                .retry(retry(6))
                .circuitBreaker(breaker)
                .build();
        int[] calls = {0};
        CompletableFuture<String> result = pipeline.callAsync(() -> {
            calls[0]++;
            return CompletableFuture.failedFuture(new IOException("down"));
        });
        time.advance(Duration.ofMinutes(1));
        assertThat(result).isCompletedWithValue("fallback");
        assertThat(calls[0]).isEqualTo(3);
        assertThat(fallbackSaw).singleElement().isInstanceOf(CircuitOpenException.class);
    }

    /**
     * Hedges sit inside the breaker and the retry: an attempt and its hedges are one call to the
     * breaker, and all of them, across retries, carry one idempotency key.
     */
    @Test
    void theBreakerJudgesAnAttemptTogetherWithItsHedgesAndEveryoneSharesOneKey() {
        CircuitBreakerPolicy breaker =
                CircuitBreakerPolicy.builder().ticker(time).build();
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .delay(Duration.ofMillis(100))
                .maxHedges(1)
                .build();
        Pipeline pipeline = Pipeline.builder()
                .hedge(hedge)
                .retry(retry(3))
                .circuitBreaker(breaker)
                .build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        CompletableFuture<String> result = pipeline.callAsync(() -> {
            seen.add(RetryContext.current().attempt() + ":"
                    + RetryContext.current().idempotencyKey());
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });

        time.advance(Duration.ofMillis(100));
        assertThat(attempts).as("the primary was slow, so a hedge started").hasSize(2);
        attempts.get(1).completeExceptionally(new IOException("hedge failed"));
        attempts.get(0).completeExceptionally(new IOException("primary failed"));
        assertThat(breaker.snapshot().failedCalls())
                .as("one attempt, one failure")
                .isEqualTo(1);

        time.advance(Duration.ofMillis(100)); // the retry's delay
        assertThat(attempts).hasSize(3);
        attempts.get(2).complete("ok");

        assertThat(result).isCompletedWithValue("ok");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);
        String key = seen.get(0).substring(2);
        assertThat(seen).containsExactly("1:" + key, "1:" + key, "2:" + key);
    }

    @Test
    void everyRetryAttemptHoldsABulkheadPermitOnlyWhileItRunsNeverDuringTheBackoff() throws IOException {
        BulkheadPolicy bulkhead = bulkhead(1);
        List<Integer> heldWhileSleeping = new ArrayList<>();
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .jitter(Jitter.NONE)
                .maxAttempts(3)
                .sleeper(nanos -> {
                    heldWhileSleeping.add(bulkhead.currentConcurrentCalls());
                    time.sleep(nanos);
                })
                .build();
        Pipeline pipeline = Pipeline.builder().retry(retry).bulkhead(bulkhead).build();
        List<Integer> heldWhileRunning = new ArrayList<>();

        String result = pipeline.call(() -> {
            heldWhileRunning.add(bulkhead.currentConcurrentCalls());
            if (heldWhileRunning.size() < 3) {
                throw new IOException("attempt " + heldWhileRunning.size());
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(heldWhileRunning).as("each attempt holds the one permit").containsExactly(1, 1, 1);
        assertThat(heldWhileSleeping).as("and gives it back before the backoff").containsExactly(0, 0);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void everyAsynchronousRetryAttemptHoldsABulkheadPermitOnlyUntilItsStageCompletes() {
        BulkheadPolicy bulkhead = bulkhead(1);
        Pipeline pipeline =
                Pipeline.builder().retry(retry(3)).bulkhead(bulkhead).build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        CompletableFuture<String> result = pipeline.callAsync(() -> {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });
        assertThat(bulkhead.currentConcurrentCalls()).isEqualTo(1);
        attempts.get(0).completeExceptionally(new IOException("first"));
        assertThat(attempts).as("the retry waits out its backoff").hasSize(1);
        assertThat(bulkhead.currentConcurrentCalls())
                .as("holding no permit meanwhile")
                .isZero();

        time.advance(Duration.ofMillis(100));
        assertThat(attempts).hasSize(2);
        assertThat(bulkhead.currentConcurrentCalls()).isEqualTo(1);
        attempts.get(1).complete("ok");

        assertThat(result).isCompletedWithValue("ok");
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void theBreakerNeverSeesTheBulkheadsRefusalsWhichAreNotRetriedAndReachTheFallback() throws IOException {
        BulkheadPolicy bulkhead = bulkhead(1);
        CompletableFuture<String> elsewhere = new CompletableFuture<>();
        bulkhead.callAsync(() -> elsewhere); // another call holds the only permit
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder()
                .fallback(fallback())
                .retry(retry(3))
                .bulkhead(bulkhead)
                .circuitBreaker(breaker)
                .build();
        int[] calls = {0};

        String result = pipeline.call(() -> {
            calls[0]++;
            return "never";
        });

        assertThat(result).isEqualTo("fallback");
        assertThat(fallbackSaw).singleElement().isInstanceOf(BulkheadFullException.class);
        assertThat(calls[0]).isZero();
        assertThat(time.sleeps()).as("a refusal is not retried").isEmpty();
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
        assertThat(breaker.snapshot().notPermittedCalls()).isZero();
        elsewhere.complete("done");
    }

    @Test
    void aTimedOutAttemptIsAFailureToTheBreakerAndIsRetried() throws IOException {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder()
                .retry(retry(3))
                .circuitBreaker(breaker)
                .timeout(timeout())
                .build();
        int[] calls = {0};

        String result = pipeline.call(() -> {
            if (++calls[0] < 3) {
                time.advance(Duration.ofSeconds(2)); // overruns: its timer fires, on this thread
            }
            return "attempt " + calls[0];
        });

        assertThat(result).isEqualTo("attempt 3");
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(2);
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(3);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the timeouts took their interrupts back")
                .isFalse();
    }

    @Test
    void aTimedOutAsynchronousAttemptIsAFailureToTheBreaker() {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder()
                .retry(retry(1))
                .circuitBreaker(breaker)
                .timeout(timeout())
                .build();
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> result = pipeline.callAsync(() -> attempt);
        time.advance(Duration.ofSeconds(1));
        assertThat(result.handle((value, failure) -> failure).join()).isInstanceOf(AttemptTimeoutException.class);
        assertThat(attempt).isCancelled();
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(1);
    }

    @Test
    void theTimeoutBoundsAnAsynchronousAttemptTogetherWithItsHedgesAndCancelsThemAll() {
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .delay(Duration.ofMillis(100))
                .maxHedges(2)
                .build();
        Pipeline pipeline = Pipeline.builder().timeout(timeout()).hedge(hedge).build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        CompletableFuture<String> result = pipeline.callAsync(() -> {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });

        time.advance(Duration.ofMillis(999));
        assertThat(attempts).as("the primary and both hedges, all slow").hasSize(3);
        assertThat(result).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThat(result.handle((value, failure) -> failure).join()).isInstanceOf(AttemptTimeoutException.class);
        assertThat(attempts).allSatisfy(attempt -> assertThat(attempt).isCancelled());
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void theTimeoutBoundsASynchronousAttemptTogetherWithItsHedgesAndStopsThemAll() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(executor)
                .delay(Duration.ofMillis(100))
                .maxHedges(1)
                .build();
        Pipeline pipeline = Pipeline.builder().timeout(timeout()).hedge(hedge).build();
        ConcurrentLinkedQueue<Throwable> attemptsStopped = new ConcurrentLinkedQueue<>();
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch bothStopped = new CountDownLatch(2);
        BlockingCaller<String> caller = new BlockingCaller<>(() -> pipeline.call(() -> {
            bothRunning.countDown();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS); // a slow service, until interrupted
                return "never";
            } catch (InterruptedException stopped) {
                attemptsStopped.add(stopped);
                bothStopped.countDown();
                throw stopped;
            }
        }));
        ManualExecutor.runOnNewThread(executor.next(), "primary");
        time.awaitScheduled(2); // the deadline, then the hedge's timer
        time.advance(Duration.ofMillis(100));
        ManualExecutor.runOnNewThread(executor.next(), "hedge");
        // Both really running: an attempt cancelled before its thread starts it is never made at all.
        assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();

        time.advance(Duration.ofMillis(900)); // the deadline: the caller's wait is interrupted

        BlockingCaller.Outcome<String> outcome = caller.outcome();
        assertThat(outcome.failure())
                .isInstanceOf(AttemptTimeoutException.class)
                .satisfies(timedOut -> assertThat(timedOut.getSuppressed())
                        .singleElement()
                        .isInstanceOf(java.util.concurrent.CancellationException.class));
        assertThat(outcome.interrupted())
                .as("the caller's thread is handed back clean")
                .isFalse();
        assertThat(bothStopped.await(10, TimeUnit.SECONDS))
                .as("the primary and the hedge were stopped")
                .isTrue();
        assertThat(attemptsStopped).hasSize(2);
    }

    @Test
    void anEmptyPipelineJustMakesTheCall() {
        assertThat(Pipeline.builder().build().call(() -> 7)).isEqualTo(7);
    }

    @Test
    void anEmptyPipelineJustMakesTheAsynchronousCallAndHandsBackItsFailureToMakeTheStage() {
        Pipeline empty = Pipeline.builder().build();
        assertThat(empty.callAsync(() -> CompletableFuture.completedFuture(7))).isCompletedWithValue(7);
        IllegalStateException cannotStart = new IllegalStateException("no connection");
        CompletableFuture<Integer> failed = empty.callAsync(() -> {
            throw cannotStart;
        });
        assertThat(failed.handle((value, failure) -> failure).join()).isSameAs(cannotStart);
    }

    @Test
    void aPipelineHoldsOneOfEachPolicy() {
        assertThatThrownBy(() -> Pipeline.builder().retry(retry(2)).retry(retry(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("retry was already set; a pipeline holds one of each policy");
    }
}
