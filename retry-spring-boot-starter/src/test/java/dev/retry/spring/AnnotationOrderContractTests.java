package dev.retry.spring;

import static dev.retry.spring.ContractChecks.CALLERS;
import static dev.retry.spring.ContractChecks.awaitOpen;
import static dev.retry.spring.ContractChecks.counter;
import static dev.retry.spring.ContractChecks.millisSince;
import static dev.retry.spring.ContractChecks.target;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.AttemptTimeoutException;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import dev.retry.spring.registry.PolicyTime;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The order of the annotations, outermost first: Fallback, Retry, Bulkhead, CircuitBreaker, Timeout,
 * Hedged, and what each sees of the others.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class AnnotationOrderContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

    static class Warehouse {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Fallback("busy")
        @CircuitBreaker("warehouse")
        @Bulkhead("single")
        @Retryable("orders")
        public String reserve(String sku) throws InterruptedException {
            calls.incrementAndGet();
            entered.countDown();
            release.await(30, SECONDS);
            return "reserved " + sku;
        }

        String busy(String sku, BulkheadFullException refused) {
            return "busy:" + refused.bulkhead() + ":" + refused.maxConcurrentCalls();
        }

        @Bulkhead("single")
        public String peek(String sku) {
            return "peek " + sku;
        }
    }

    @Test
    void aBulkheadRefusalIsNeverRetriedNeverSeenByTheBreakerAndIsAnsweredByTheFallback() {
        runner.withBean(Warehouse.class)
                .withPropertyValues(
                        "retry.policies.orders.max-attempts=3",
                        "retry.bulkheads.single.max-concurrent-calls=1",
                        "retry.circuit-breakers.warehouse.minimum-calls=1")
                .run(context -> {
                    Warehouse warehouse = context.getBean(Warehouse.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Future<String> holder = CALLERS.submit(() -> warehouse.reserve("a"));
                    awaitOpen(target(warehouse).entered);

                    assertThat(warehouse.reserve("b")).isEqualTo("busy:single:1");
                    assertThatThrownBy(() -> warehouse.peek("c"))
                            .as("one name, one shared bulkhead")
                            .isExactlyInstanceOf(BulkheadFullException.class)
                            .hasMessageContaining("'single'")
                            .hasMessageContaining("1 concurrent call");

                    target(warehouse).release.countDown();
                    assertThat(holder.get(30, SECONDS)).isEqualTo("reserved a");
                    assertThat(warehouse.peek("d")).as("the permit came back").isEqualTo("peek d");

                    assertThat(target(warehouse).calls)
                            .as("the refused call was never retried")
                            .hasValue(1);
                    assertThat(counter(meters, "retry.attempts", "name", "orders"))
                            .isZero();
                    assertThat(counter(meters, "retry.calls", "name", "orders", "outcome", "failure"))
                            .isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.calls")
                                    .tags("name", "warehouse")
                                    .functionTimers())
                            .as("the breaker recorded only the call that ran")
                            .extracting(t -> t.count())
                            .containsExactlyInAnyOrder(1.0, 0.0, 0.0);
                    assertThat(meters.get("circuitbreaker.state")
                                    .tags("name", "warehouse", "state", "CLOSED")
                                    .gauge()
                                    .value())
                            .isEqualTo(1);
                    assertThat(counter(meters, "bulkhead.calls", "name", "single", "outcome", "rejected"))
                            .isEqualTo(2);
                    assertThat(counter(meters, "bulkhead.calls", "name", "single", "outcome", "permitted"))
                            .isEqualTo(2);
                    assertThat(counter(meters, "fallback.calls", "exception", "BulkheadFullException"))
                            .isEqualTo(1);
                });
    }

    static class Backoffs {

        final AtomicInteger calls = new AtomicInteger();

        @Retryable("patient")
        @Bulkhead("single")
        public String flaky() throws IOException {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("first");
            }
            return "second";
        }

        @Bulkhead("single")
        public String other() {
            return "other";
        }
    }

    @Test
    void anAttemptHoldsItsBulkheadPermitOnlyWhileItRunsNeverWhileItWaitsToBeRetried() {
        // The backoff lasts until the test ends it, so "during the backoff" is a moment the test
        // holds, not a 600 ms window that a stalled core could let pass before the permit is checked.
        List<Duration> backoffsAsked = new CopyOnWriteArrayList<>();
        CountDownLatch backoffBegun = new CountDownLatch(1);
        CountDownLatch endBackoff = new CountDownLatch(1);
        Sleeper heldBackoff = nanos -> {
            backoffsAsked.add(Duration.ofNanos(nanos));
            backoffBegun.countDown();
            // Bounded, so that a failed test leaves no caller behind.
            assertThat(endBackoff.await(30, SECONDS))
                    .as("the test ended the backoff")
                    .isTrue();
        };
        runner.withBean(Backoffs.class)
                .withBean(PolicyTime.class, () -> new PolicyTime(Ticker.system(), heldBackoff, Scheduler.system()))
                .withPropertyValues(
                        "retry.policies.patient.delay=600ms", "retry.bulkheads.single.max-concurrent-calls=1")
                .run(context -> {
                    Backoffs backoffs = context.getBean(Backoffs.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Future<String> retrying = CALLERS.submit(backoffs::flaky);
                    awaitOpen(backoffBegun);
                    assertThat(meters.get("bulkhead.concurrent.calls")
                                    .tags("name", "single")
                                    .gauge()
                                    .value())
                            .as("calls holding a permit during the backoff")
                            .isZero();
                    assertThat(backoffs.other())
                            .as("the permit is free during the backoff")
                            .isEqualTo("other");
                    assertThat(target(backoffs).calls)
                            .as("the retry waited for its backoff to end")
                            .hasValue(1);
                    endBackoff.countDown();
                    assertThat(retrying.get(30, SECONDS)).isEqualTo("second");
                    assertThat(target(backoffs).calls).hasValue(2);
                });
        assertThat(backoffsAsked).as("the backoff the retry asked for").containsExactly(Duration.ofMillis(600));
    }

    static class Slow {

        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean sleptThrough = new AtomicBoolean();
        /** Attempts that slept to their end: an attempt cut at its deadline never gets here. */
        final AtomicInteger ranToTheirEnd = new AtomicInteger();

        @Timeout("short")
        @CircuitBreaker("slowdep")
        @Retryable("twice")
        public String fetch() throws InterruptedException {
            threads.add(Thread.currentThread());
            if (calls.incrementAndGet() == 1) {
                Thread.sleep(5_000);
                ranToTheirEnd.incrementAndGet();
            }
            return "fetched";
        }

        @Retryable("keeptime")
        @Timeout("short")
        public String neverInTime() throws InterruptedException {
            calls.incrementAndGet();
            Thread.sleep(5_000);
            ranToTheirEnd.incrementAndGet();
            return "late";
        }

        @Timeout("lenient")
        public String stubborn() {
            long until = System.nanoTime() + 300_000_000L;
            boolean interrupted = false;
            while (System.nanoTime() < until) {
                interrupted |= Thread.currentThread().isInterrupted();
                Thread.onSpinWait();
            }
            sleptThrough.set(!interrupted);
            return "late";
        }
    }

    @Test
    void aTimedOutAttemptIsAFailureToTheBreakerIsRetriedAndRunsOnTheCallersThreadWhichIsLeftUninterrupted() {
        runner.withBean(Slow.class)
                .withPropertyValues(
                        "retry.policies.twice.max-attempts=2",
                        "retry.timeouts.short.duration=100ms",
                        "retry.circuit-breakers.slowdep.minimum-calls=10")
                .run(context -> {
                    Slow slow = context.getBean(Slow.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(slow.fetch()).isEqualTo("fetched");
                    assertThat(target(slow).ranToTheirEnd)
                            .as("the first attempt was cut at its deadline")
                            .hasValue(0);
                    assertThat(Thread.currentThread().isInterrupted())
                            .as("the timeout's interrupt is taken back")
                            .isFalse();
                    assertThat(target(slow).threads)
                            .containsOnly(Thread.currentThread())
                            .hasSize(2);
                    assertThat(meters.get("circuitbreaker.calls")
                                    .tags("name", "slowdep", "outcome", "failure")
                                    .functionTimer()
                                    .count())
                            .isEqualTo(1.0);
                    assertThat(meters.get("circuitbreaker.calls")
                                    .tags("name", "slowdep", "outcome", "success")
                                    .functionTimer()
                                    .count())
                            .isEqualTo(1.0);
                    assertThat(counter(meters, "timeout.calls", "name", "short", "outcome", "timeout"))
                            .isEqualTo(1);
                    assertThat(counter(meters, "timeout.calls", "name", "short", "outcome", "success"))
                            .isEqualTo(1);
                });
    }

    @Test
    void aTimeoutNamedInAbortOnIsNotRetriedAndNamesTheTimeoutAndItsDuration() {
        runner.withBean(Slow.class)
                .withPropertyValues(
                        "retry.timeouts.short.duration=100ms",
                        "retry.policies.keeptime.abort-on=dev.retry.core.AttemptTimeoutException")
                .run(context -> {
                    Slow slow = context.getBean(Slow.class);
                    assertThatThrownBy(slow::neverInTime)
                            .isExactlyInstanceOf(AttemptTimeoutException.class)
                            .isInstanceOf(RuntimeException.class)
                            .hasMessageContaining("short")
                            .hasMessageContaining("100ms");
                    assertThat(target(slow).ranToTheirEnd)
                            .as("the attempt was cut at its deadline")
                            .hasValue(0);
                    assertThat(target(slow).calls).hasValue(1);
                    assertThat(Thread.currentThread().isInterrupted()).isFalse();
                });
    }

    @Test
    void withoutInterruptASynchronousAttemptRunsToItsEndAndThenFailsWithTheTimeout() {
        runner.withBean(Slow.class)
                .withPropertyValues("retry.timeouts.lenient.duration=100ms", "retry.timeouts.lenient.interrupt=false")
                .run(context -> {
                    Slow slow = context.getBean(Slow.class);
                    long start = System.nanoTime();
                    assertThatThrownBy(slow::stubborn).isInstanceOf(AttemptTimeoutException.class);
                    assertThat(millisSince(start)).isGreaterThanOrEqualTo(290);
                    assertThat(target(slow).sleptThrough)
                            .as("never interrupted")
                            .isTrue();
                });
    }

    static class HedgedUnderTimeout {

        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        final AtomicInteger ranToTheirEnd = new AtomicInteger();

        @Hedged("quick")
        @Timeout("short")
        public String slow() {
            attempts.incrementAndGet();
            try {
                Thread.sleep(30_000);
                ranToTheirEnd.incrementAndGet();
            } catch (InterruptedException stopped) {
                interrupted.incrementAndGet();
            }
            return "late";
        }

        @Fallback("answer")
        @Hedged("quick")
        @Timeout("short")
        public String answered() throws InterruptedException {
            Thread.sleep(30_000);
            return "late";
        }

        String answer(AttemptTimeoutException timedOut) {
            return "timed out: " + timedOut.timeout();
        }
    }

    @Test
    void theTimeoutBoundsAnAttemptTogetherWithItsHedgesAndTheFallbackAnswersIt() {
        // The hedges' timers and the deadline fire when the test fires them, in the order the
        // configuration gives them (20 ms, 40 ms, then 200 ms): a stalled core can delay a real timer
        // past the deadline, and then the deadline would have nothing to bound but the primary.
        HeldTimers timers = new HeldTimers();
        runner.withBean(HedgedUnderTimeout.class)
                .withBean(PolicyTime.class, timers::policyTime)
                .withPropertyValues(
                        "retry.hedges.quick.delay=20ms",
                        "retry.hedges.quick.max-hedges=2",
                        "retry.timeouts.short.duration=200ms")
                .run(context -> {
                    HedgedUnderTimeout bean = context.getBean(HedgedUnderTimeout.class);
                    AtomicInteger attempts = target(bean).attempts;
                    Future<String> call = CALLERS.submit(bean::slow);
                    HeldTimers.Timer deadline = timers.awaitTimer(Duration.ofMillis(200));
                    for (int started = 1; started <= 3; started++) {
                        int expected = started;
                        await("attempt " + expected + " started")
                                .atMost(Duration.ofSeconds(30))
                                .until(() -> attempts.get() == expected);
                        if (started < 3) {
                            timers.awaitTimer(Duration.ofMillis(20)).fire();
                        }
                    }
                    assertThat(call).as("the attempts are still running").isNotDone();
                    deadline.fire();
                    assertThatThrownBy(() -> call.get(30, SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .cause()
                            .isExactlyInstanceOf(AttemptTimeoutException.class);
                    await("every attempt was stopped at the deadline")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(2))
                            .until(() -> target(bean).interrupted.get() == 3);
                    assertThat(target(bean).ranToTheirEnd)
                            .as("no attempt ran to its end")
                            .hasValue(0);
                    assertThat(timers.delays())
                            .as("one deadline for the attempt and its two hedges")
                            .containsExactly(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofMillis(20));

                    Future<String> answered = CALLERS.submit(bean::answered);
                    timers.awaitTimer(Duration.ofMillis(200)).fire();
                    assertThat(answered.get(30, SECONDS)).isEqualTo("timed out: short");
                });
    }

    static class Inline {

        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger hedgedCalls = new AtomicInteger();
        final AtomicBoolean quickerRanToItsEnd = new AtomicBoolean();

        @Retryable(value = "inline", retryOn = IOException.class, abortOn = FileNotFoundException.class)
        public String narrowed(Exception failure) throws Exception {
            calls.incrementAndGet();
            throw failure;
        }

        @Timeout(value = "short", duration = "50ms")
        public String quicker() throws InterruptedException {
            // Far past the 50 ms, so that even a deadline a stalled core fires seconds late cuts it.
            Thread.sleep(30_000);
            quickerRanToItsEnd.set(true);
            return "late";
        }

        @Hedged(value = "quick", maxHedges = 0)
        public String unhedged() throws InterruptedException {
            hedgedCalls.incrementAndGet();
            Thread.sleep(200);
            return "alone";
        }
    }

    @Test
    void inlineOverridesReplaceOnlyTheirOwnKeysAndCountInTheNamesMeters() {
        runner.withBean(Inline.class)
                .withPropertyValues(
                        "retry.policies.inline.max-attempts=4",
                        "retry.timeouts.short.duration=5s",
                        "retry.hedges.quick.delay=10ms")
                .run(context -> {
                    Inline inline = context.getBean(Inline.class);
                    AtomicInteger calls = target(inline).calls;
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThatThrownBy(() -> inline.narrowed(new IOException("io")))
                            .isInstanceOf(IOException.class);
                    assertThat(calls).as("max-attempts still from the YAML").hasValue(4);
                    calls.set(0);
                    assertThatThrownBy(() -> inline.narrowed(new IllegalStateException("not listed")))
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(calls).hasValue(1);
                    calls.set(0);
                    assertThatThrownBy(() -> inline.narrowed(new FileNotFoundException("aborted")))
                            .isInstanceOf(FileNotFoundException.class);
                    assertThat(calls).hasValue(1);
                    assertThat(counter(meters, "retry.attempts", "name", "inline"))
                            .isEqualTo(3);
                    assertThat(counter(meters, "retry.calls", "name", "inline", "outcome", "failure"))
                            .isEqualTo(2);

                    assertThatThrownBy(inline::quicker)
                            .isInstanceOf(AttemptTimeoutException.class)
                            .hasMessageContaining("50ms");
                    assertThat(target(inline).quickerRanToItsEnd)
                            .as("cut at the inline 50 ms, not the YAML's 5 s")
                            .isFalse();
                    assertThat(counter(meters, "timeout.calls", "name", "short", "outcome", "timeout"))
                            .isEqualTo(1);

                    assertThat(inline.unhedged()).isEqualTo("alone");
                    assertThat(target(inline).hedgedCalls)
                            .as("maxHedges = 0 turns hedging off")
                            .hasValue(1);
                });
    }

    static class AsyncHedged {

        final List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();

        @Hedged("quick")
        public CompletableFuture<String> search() {
            CompletableFuture<String> attempt =
                    attempts.isEmpty() ? new CompletableFuture<>() : CompletableFuture.completedFuture("hedge");
            attempts.add(attempt);
            return attempt;
        }
    }

    @Test
    void anAsynchronousHedgeIsStartedWithoutBlockingTheCallerAndTheLoserIsCancelled() {
        // The hedge's timer fires only when the test fires it: the call must return before it does,
        // which a caller that waited for the hedge could never do. Timed in real time, a stall of
        // the hedge's 200 ms between the call's return and the check would look like that very bug.
        HeldTimers timers = new HeldTimers();
        runner.withBean(AsyncHedged.class)
                .withBean(PolicyTime.class, timers::policyTime)
                .withPropertyValues("retry.hedges.quick.delay=200ms")
                .run(context -> {
                    AsyncHedged hedged = context.getBean(AsyncHedged.class);
                    CompletableFuture<String> search =
                            CALLERS.submit(hedged::search).get(30, SECONDS);
                    assertThat(search).as("the primary is still running").isNotDone();
                    assertThat(target(hedged).attempts).as("no hedge yet").hasSize(1);
                    timers.awaitTimer(Duration.ofMillis(200)).fire();
                    assertThat(search.get(30, SECONDS)).isEqualTo("hedge");
                    assertThat(target(hedged).attempts).hasSize(2);
                    assertThat(target(hedged).attempts.get(0))
                            .as("the primary lost")
                            .isCancelled();
                });
    }

    static class Waiting {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Bulkhead("waiting")
        public String hold(long millis) throws InterruptedException {
            entered.countDown();
            Thread.sleep(millis);
            return "held";
        }

        /** Holds its permit until the test lets go. */
        @Bulkhead("waiting")
        public String holdUntilReleased() throws InterruptedException {
            entered.countDown();
            release.await(30, SECONDS);
            return "held";
        }
    }

    @Test
    void aCallWaitsUpToMaxWaitForAPermit() {
        // A max-wait far beyond the holder's 150 ms: a stalled core may hold the permit seconds longer,
        // and the waiter must still get it.
        runner.withBean(Waiting.class)
                .withPropertyValues(
                        "retry.bulkheads.waiting.max-concurrent-calls=1", "retry.bulkheads.waiting.max-wait=30s")
                .run(context -> {
                    Waiting waiting = context.getBean(Waiting.class);
                    Future<String> holder = CALLERS.submit(() -> waiting.hold(150));
                    awaitOpen(target(waiting).entered);
                    assertThat(waiting.hold(0)).as("waited for the permit").isEqualTo("held");
                    assertThat(holder.get(30, SECONDS)).isEqualTo("held");
                });
        runner.withBean(Waiting.class)
                .withPropertyValues(
                        "retry.bulkheads.waiting.max-concurrent-calls=1", "retry.bulkheads.waiting.max-wait=50ms")
                .run(context -> {
                    Waiting waiting = context.getBean(Waiting.class);
                    Future<String> holder = CALLERS.submit(waiting::holdUntilReleased);
                    awaitOpen(target(waiting).entered);
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> waiting.hold(0)).isInstanceOf(BulkheadFullException.class);
                    assertThat(millisSince(start)).as("it did wait its 50 ms").isGreaterThanOrEqualTo(40L);
                    assertThat(holder)
                            .as("refused while the permit was still held, not after")
                            .isNotDone();
                    target(waiting).release.countDown();
                    assertThat(holder.get(30, SECONDS)).isEqualTo("held");
                });
    }
}
