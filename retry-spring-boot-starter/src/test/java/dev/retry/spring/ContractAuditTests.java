package dev.retry.spring;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.AttemptTimeoutException;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.RetryContext;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.util.AopTestUtils;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

/**
 * The public contract (CONTRACT.md) checked from outside, as a user meets it: annotated beans in an
 * application context, YAML keys, meters and the actuator endpoint. Each test covers a promise that
 * no other test of the starter checks through the annotations.
 */
class ContractAuditTests {

    private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class, RetryMetricsAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            // Beans below carry several names; each test configures those it is about, the rest use default.
            .withPropertyValues("retry.strict-names=false", "retry.policies.default.delay=0ms",
                    "retry.policies.default.jitter=none");

    @AfterAll
    static void stopCallers() {
        CALLERS.shutdownNow();
    }

    private static <T> T target(T proxy) {
        return AopTestUtils.getUltimateTargetObject(proxy);
    }

    private static double counter(MeterRegistry meters, String name, String... tags) {
        return meters.get(name).tags(tags).counter().count();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(5, SECONDS)).as("latch opened in time").isTrue();
    }

    /** Waits up to {@code millis} for {@code condition}; returns whether it held. */
    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(2);
        }
        return condition.getAsBoolean();
    }

    // ---- the order: Fallback → Retry → Bulkhead → CircuitBreaker → Timeout → Hedged ----------------

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
            release.await(5, SECONDS);
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
        runner.withBean(Warehouse.class).withPropertyValues("retry.policies.orders.max-attempts=3",
                "retry.bulkheads.single.max-concurrent-calls=1", "retry.circuit-breakers.warehouse.minimum-calls=1")
                .run(context -> {
                    Warehouse warehouse = context.getBean(Warehouse.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Future<String> holder = CALLERS.submit(() -> warehouse.reserve("a"));
                    await(target(warehouse).entered);

                    assertThat(warehouse.reserve("b")).isEqualTo("busy:single:1");
                    assertThatThrownBy(() -> warehouse.peek("c")).as("one name, one shared bulkhead")
                            .isExactlyInstanceOf(BulkheadFullException.class)
                            .hasMessageContaining("'single'").hasMessageContaining("1 concurrent call");

                    target(warehouse).release.countDown();
                    assertThat(holder.get(5, SECONDS)).isEqualTo("reserved a");
                    assertThat(warehouse.peek("d")).as("the permit came back").isEqualTo("peek d");

                    assertThat(target(warehouse).calls).as("the refused call was never retried").hasValue(1);
                    assertThat(counter(meters, "retry.attempts", "name", "orders")).isZero();
                    assertThat(counter(meters, "retry.calls", "name", "orders", "outcome", "failure")).isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.calls").tags("name", "warehouse").timers())
                            .as("the breaker recorded only the call that ran").extracting(t -> t.count())
                            .containsExactlyInAnyOrder(1L, 0L, 0L);
                    assertThat(meters.get("circuitbreaker.state").tags("name", "warehouse", "state", "CLOSED").gauge()
                            .value()).isEqualTo(1);
                    assertThat(counter(meters, "bulkhead.calls", "name", "single", "outcome", "rejected")).isEqualTo(2);
                    assertThat(counter(meters, "bulkhead.calls", "name", "single", "outcome", "permitted")).isEqualTo(2);
                    assertThat(counter(meters, "fallback.calls", "exception", "BulkheadFullException")).isEqualTo(1);
                });
    }

    static class Backoffs {

        final CountDownLatch firstFailed = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Retryable("patient")
        @Bulkhead("single")
        public String flaky() throws IOException {
            if (calls.incrementAndGet() == 1) {
                firstFailed.countDown();
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
        runner.withBean(Backoffs.class).withPropertyValues("retry.policies.patient.delay=600ms",
                "retry.bulkheads.single.max-concurrent-calls=1").run(context -> {
                    Backoffs backoffs = context.getBean(Backoffs.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    long start = System.nanoTime();
                    Future<String> retrying = CALLERS.submit(backoffs::flaky);
                    await(target(backoffs).firstFailed);
                    within(200, () -> meters.get("bulkhead.concurrent.calls").tags("name", "single").gauge().value() == 0);
                    assertThat(backoffs.other()).as("the permit is free during the backoff").isEqualTo("other");
                    assertThat(retrying.get(5, SECONDS)).isEqualTo("second");
                    assertThat(millisSince(start)).as("it did wait out its backoff").isGreaterThanOrEqualTo(550);
                });
    }

    static class Slow {

        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean sleptThrough = new AtomicBoolean();

        @Timeout("short")
        @CircuitBreaker("slowdep")
        @Retryable("twice")
        public String fetch() throws InterruptedException {
            threads.add(Thread.currentThread());
            if (calls.incrementAndGet() == 1) {
                Thread.sleep(5_000);
            }
            return "fetched";
        }

        @Retryable("keeptime")
        @Timeout("short")
        public String neverInTime() throws InterruptedException {
            calls.incrementAndGet();
            Thread.sleep(5_000);
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
        runner.withBean(Slow.class).withPropertyValues("retry.policies.twice.max-attempts=2",
                "retry.timeouts.short.duration=100ms", "retry.circuit-breakers.slowdep.minimum-calls=10")
                .run(context -> {
                    Slow slow = context.getBean(Slow.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    long start = System.nanoTime();
                    assertThat(slow.fetch()).isEqualTo("fetched");
                    assertThat(millisSince(start)).isLessThan(2_000);
                    assertThat(Thread.currentThread().isInterrupted()).as("the timeout's interrupt is taken back").isFalse();
                    assertThat(target(slow).threads).containsOnly(Thread.currentThread()).hasSize(2);
                    assertThat(meters.get("circuitbreaker.calls").tags("name", "slowdep", "outcome", "failure").timer()
                            .count()).isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.calls").tags("name", "slowdep", "outcome", "success").timer()
                            .count()).isEqualTo(1);
                    assertThat(counter(meters, "timeout.calls", "name", "short", "outcome", "timeout")).isEqualTo(1);
                    assertThat(counter(meters, "timeout.calls", "name", "short", "outcome", "success")).isEqualTo(1);
                });
    }

    @Test
    void aTimeoutNamedInAbortOnIsNotRetriedAndNamesTheTimeoutAndItsDuration() {
        runner.withBean(Slow.class).withPropertyValues("retry.timeouts.short.duration=100ms",
                "retry.policies.keeptime.abort-on=dev.retry.core.AttemptTimeoutException").run(context -> {
                    Slow slow = context.getBean(Slow.class);
                    long start = System.nanoTime();
                    assertThatThrownBy(slow::neverInTime).isExactlyInstanceOf(AttemptTimeoutException.class)
                            .isInstanceOf(RuntimeException.class)
                            .hasMessageContaining("short").hasMessageContaining("100ms");
                    assertThat(millisSince(start)).isLessThan(2_000);
                    assertThat(target(slow).calls).hasValue(1);
                    assertThat(Thread.currentThread().isInterrupted()).isFalse();
                });
    }

    @Test
    void withoutInterruptASynchronousAttemptRunsToItsEndAndThenFailsWithTheTimeout() {
        runner.withBean(Slow.class).withPropertyValues("retry.timeouts.lenient.duration=100ms",
                "retry.timeouts.lenient.interrupt=false").run(context -> {
                    Slow slow = context.getBean(Slow.class);
                    long start = System.nanoTime();
                    assertThatThrownBy(slow::stubborn).isInstanceOf(AttemptTimeoutException.class);
                    assertThat(millisSince(start)).isGreaterThanOrEqualTo(290);
                    assertThat(target(slow).sleptThrough).as("never interrupted").isTrue();
                });
    }

    static class HedgedUnderTimeout {

        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();

        @Hedged("quick")
        @Timeout("short")
        public String slow() {
            attempts.incrementAndGet();
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException stopped) {
                interrupted.incrementAndGet();
            }
            return "late";
        }

        @Fallback("answer")
        @Hedged("quick")
        @Timeout("short")
        public String answered() throws InterruptedException {
            Thread.sleep(3_000);
            return "late";
        }

        String answer(AttemptTimeoutException timedOut) {
            return "timed out: " + timedOut.timeout();
        }
    }

    @Test
    void theTimeoutBoundsAnAttemptTogetherWithItsHedgesAndTheFallbackAnswersIt() {
        runner.withBean(HedgedUnderTimeout.class).withPropertyValues("retry.hedges.quick.delay=20ms",
                "retry.hedges.quick.max-hedges=2", "retry.timeouts.short.duration=200ms").run(context -> {
                    HedgedUnderTimeout bean = context.getBean(HedgedUnderTimeout.class);
                    long start = System.nanoTime();
                    assertThatThrownBy(bean::slow).isExactlyInstanceOf(AttemptTimeoutException.class);
                    assertThat(millisSince(start)).isLessThan(1_500);
                    assertThat(target(bean).attempts).as("the primary and both hedges started").hasValue(3);
                    assertThat(within(1_000, () -> target(bean).interrupted.get() == 3))
                            .as("every attempt was stopped at the deadline").isTrue();
                    assertThat(Thread.currentThread().isInterrupted()).isFalse();
                    assertThat(bean.answered()).isEqualTo("timed out: short");
                });
    }

    static class Inline {

        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger hedgedCalls = new AtomicInteger();

        @Retryable(value = "inline", retryOn = IOException.class, abortOn = FileNotFoundException.class)
        public String narrowed(Exception failure) throws Exception {
            calls.incrementAndGet();
            throw failure;
        }

        @Timeout(value = "short", duration = "50ms")
        public String quicker() throws InterruptedException {
            Thread.sleep(2_000);
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
        runner.withBean(Inline.class).withPropertyValues("retry.policies.inline.max-attempts=4",
                "retry.timeouts.short.duration=5s", "retry.hedges.quick.delay=10ms").run(context -> {
                    Inline inline = context.getBean(Inline.class);
                    AtomicInteger calls = target(inline).calls;
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThatThrownBy(() -> inline.narrowed(new IOException("io"))).isInstanceOf(IOException.class);
                    assertThat(calls).as("max-attempts still from the YAML").hasValue(4);
                    calls.set(0);
                    assertThatThrownBy(() -> inline.narrowed(new IllegalStateException("not listed")))
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(calls).hasValue(1);
                    calls.set(0);
                    assertThatThrownBy(() -> inline.narrowed(new FileNotFoundException("aborted")))
                            .isInstanceOf(FileNotFoundException.class);
                    assertThat(calls).hasValue(1);
                    assertThat(counter(meters, "retry.attempts", "name", "inline")).isEqualTo(3);
                    assertThat(counter(meters, "retry.calls", "name", "inline", "outcome", "failure")).isEqualTo(2);

                    long start = System.nanoTime();
                    assertThatThrownBy(inline::quicker).isInstanceOf(AttemptTimeoutException.class)
                            .hasMessageContaining("50ms");
                    assertThat(millisSince(start)).isLessThan(1_000);
                    assertThat(counter(meters, "timeout.calls", "name", "short", "outcome", "timeout")).isEqualTo(1);

                    assertThat(inline.unhedged()).isEqualTo("alone");
                    assertThat(target(inline).hedgedCalls).as("maxHedges = 0 turns hedging off").hasValue(1);
                });
    }

    static class AsyncHedged {

        final List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();

        @Hedged("quick")
        public CompletableFuture<String> search() {
            CompletableFuture<String> attempt = attempts.isEmpty() ? new CompletableFuture<>()
                    : CompletableFuture.completedFuture("hedge");
            attempts.add(attempt);
            return attempt;
        }
    }

    @Test
    void anAsynchronousHedgeIsStartedWithoutBlockingTheCallerAndTheLoserIsCancelled() throws Exception {
        runner.withBean(AsyncHedged.class).withPropertyValues("retry.hedges.quick.delay=200ms").run(context -> {
            AsyncHedged hedged = context.getBean(AsyncHedged.class);
            CompletableFuture<String> search = hedged.search();
            // The hedge answers the moment it starts: had the caller waited for it, this would be done.
            assertThat(search).isNotDone();
            assertThat(search.get(5, SECONDS)).isEqualTo("hedge");
            assertThat(target(hedged).attempts).hasSize(2);
            assertThat(target(hedged).attempts.get(0)).as("the primary lost").isCancelled();
        });
    }

    static class Waiting {

        final CountDownLatch entered = new CountDownLatch(1);

        @Bulkhead("waiting")
        public String hold(long millis) throws InterruptedException {
            entered.countDown();
            Thread.sleep(millis);
            return "held";
        }
    }

    @Test
    void aCallWaitsUpToMaxWaitForAPermit() {
        runner.withBean(Waiting.class).withPropertyValues("retry.bulkheads.waiting.max-concurrent-calls=1",
                "retry.bulkheads.waiting.max-wait=2s").run(context -> {
                    Waiting waiting = context.getBean(Waiting.class);
                    Future<String> holder = CALLERS.submit(() -> waiting.hold(150));
                    await(target(waiting).entered);
                    assertThat(waiting.hold(0)).as("waited for the permit").isEqualTo("held");
                    assertThat(holder.get(5, SECONDS)).isEqualTo("held");
                });
        runner.withBean(Waiting.class).withPropertyValues("retry.bulkheads.waiting.max-concurrent-calls=1",
                "retry.bulkheads.waiting.max-wait=50ms").run(context -> {
                    Waiting waiting = context.getBean(Waiting.class);
                    Future<String> holder = CALLERS.submit(() -> waiting.hold(1_000));
                    await(target(waiting).entered);
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> waiting.hold(0)).isInstanceOf(BulkheadFullException.class);
                    assertThat(millisSince(start)).isBetween(40L, 900L);
                    holder.get(5, SECONDS);
                });
    }

    // ---- return types ----------------------------------------------------------------------------

    static class AsyncWork {

        final List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();
        final List<Integer> attempts = new CopyOnWriteArrayList<>();
        final List<String> keys = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        @Timeout("short")
        public CompletableFuture<String> never() {
            CompletableFuture<String> work = new CompletableFuture<>();
            started.add(work);
            return work;
        }

        @Retryable("patient")
        public CompletionStage<String> stock() {
            attempts.add(RetryContext.current().attempt());
            keys.add(RetryContext.current().idempotencyKey());
            return calls.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new IOException("first"))
                    : CompletableFuture.completedFuture("stock");
        }

        @Bulkhead("single")
        public CompletableFuture<String> pending() {
            CompletableFuture<String> work = new CompletableFuture<>();
            started.add(work);
            return work;
        }
    }

    @Test
    void aCompletionStageFailsAtItsDeadlineAndItsWorkIsCancelled() {
        runner.withBean(AsyncWork.class).withPropertyValues("retry.timeouts.short.duration=100ms").run(context -> {
            AsyncWork work = context.getBean(AsyncWork.class);
            CompletableFuture<String> call = work.never();
            assertThat(call).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                    .withCauseExactlyInstanceOf(AttemptTimeoutException.class);
            assertThat(target(work).started).singleElement().satisfies(started -> assertThat(started).isCancelled());
        });
    }

    @Test
    void aCompletionStageIsRetriedWithoutBlockingTheCallerAndKeepsOneIdempotencyKey() throws Exception {
        runner.withBean(AsyncWork.class).withPropertyValues("retry.policies.patient.delay=400ms").run(context -> {
            AsyncWork work = context.getBean(AsyncWork.class);
            CompletionStage<String> stock = work.stock();
            // The retry succeeds the moment it starts: had the caller waited out the backoff, this would be done.
            assertThat(stock.toCompletableFuture()).as("the caller did not wait out the backoff").isNotDone();
            assertThat(stock.toCompletableFuture().get(5, SECONDS)).isEqualTo("stock");
            assertThat(target(work).attempts).containsExactly(1, 2);
            assertThat(target(work).keys).hasSize(2).containsOnly(target(work).keys.get(0));
        });
    }

    @Test
    void anAsynchronousAttemptHoldsItsPermitUntilItsStageCompletesAndGivesItBackWhateverTheOutcome() {
        runner.withBean(AsyncWork.class).withPropertyValues("retry.bulkheads.single.max-concurrent-calls=1").run(context -> {
            AsyncWork work = context.getBean(AsyncWork.class);
            CompletableFuture<String> first = work.pending();
            assertThat(catchThrowable(() -> work.pending().get(2, SECONDS))).as("the first stage still holds the permit")
                    .isInstanceOf(ExecutionException.class).cause().isExactlyInstanceOf(BulkheadFullException.class);
            target(work).started.get(0).completeExceptionally(new IOException("failed"));
            assertThat(first).isCompletedExceptionally();
            CompletableFuture<String> third = work.pending();
            assertThat(third).as("permitted once the failed stage gave its permit back").isNotDone();
            target(work).started.get(1).complete("done");
            assertThat(third).isCompletedWithValue("done");
        });
    }

    static class Voids {

        final AtomicInteger calls = new AtomicInteger();

        @Retryable
        public void touch() throws IOException {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("not yet");
            }
        }
    }

    @Test
    void aVoidMethodIsRetried() throws IOException {
        runner.withBean(Voids.class).run(context -> {
            Voids voids = context.getBean(Voids.class);
            voids.touch();
            assertThat(target(voids).calls).hasValue(3);
        });
    }

    // ---- class-level annotations, names and per-method instances ---------------------------------

    @Retryable("thrice")
    static class ClassLevel {

        final AtomicInteger plain = new AtomicInteger();
        final AtomicInteger five = new AtomicInteger();
        final AtomicInteger guarded = new AtomicInteger();

        public String plain() throws IOException {
            plain.incrementAndGet();
            throw new IOException("plain");
        }

        @Retryable(maxAttempts = 5)
        public String five() throws IOException {
            five.incrementAndGet();
            throw new IOException("five");
        }

        @CircuitBreaker("classcb")
        public String guarded() throws IOException {
            guarded.incrementAndGet();
            throw new IOException("down " + guarded.get());
        }
    }

    @Test
    void aClassLevelAnnotationCoversEveryPublicMethodAMethodsOwnWinsAndOtherTypesCombine() {
        runner.withBean(ClassLevel.class).withPropertyValues("retry.policies.thrice.max-attempts=3",
                "retry.circuit-breakers.classcb.minimum-calls=2", "retry.circuit-breakers.classcb.window-size=2")
                .run(context -> {
                    ClassLevel bean = context.getBean(ClassLevel.class);
                    assertThatThrownBy(bean::plain).isInstanceOf(IOException.class);
                    assertThat(target(bean).plain).hasValue(3);
                    assertThatThrownBy(bean::five).isInstanceOf(IOException.class);
                    assertThat(target(bean).five).as("the method's own @Retryable wins").hasValue(5);
                    assertThatThrownBy(bean::guarded).as("the breaker opened on the second attempt; the third was refused")
                            .isExactlyInstanceOf(CircuitOpenException.class).hasMessageContaining("classcb")
                            .hasMessageContaining("lets trial calls through in")
                            .satisfies(refused -> assertThat(((CircuitOpenException) refused).permitsAgainIn()).isPresent());
                    assertThat(target(bean).guarded).hasValue(2);
                });
    }

    @Test
    void aFailureAfterRetriesKeepsTheEarlierAttemptsFailuresEvenWhenTheLastIsTheBreakersRefusal() {
        runner.withBean(ClassLevel.class).withPropertyValues("retry.policies.thrice.max-attempts=3",
                "retry.circuit-breakers.classcb.minimum-calls=2", "retry.circuit-breakers.classcb.window-size=2")
                .run(context -> {
                    ClassLevel bean = context.getBean(ClassLevel.class);
                    Throwable refused = catchThrowable(bean::guarded);
                    assertThat(refused).isExactlyInstanceOf(CircuitOpenException.class);
                    assertThat(refused.getSuppressed()).extracting(Throwable::getMessage).containsExactly("down 1", "down 2");
                });
    }

    @CircuitBreaker
    static class OwnBreakers {

        public String a() throws IOException {
            throw new IOException("a down");
        }

        public String b() {
            return "b";
        }

        @CircuitBreaker("shared")
        public String c() throws IOException {
            throw new IOException("c down");
        }

        @CircuitBreaker("shared")
        public String d() {
            return "d";
        }
    }

    @Test
    void anUnnamedBreakerBelongsToItsMethodAndANamedOneIsSharedByEveryMethodThatNamesIt() {
        runner.withBean(OwnBreakers.class).withPropertyValues("retry.circuit-breakers.default.minimum-calls=1",
                "retry.circuit-breakers.shared.window-size=5").run(context -> {
                    OwnBreakers breakers = context.getBean(OwnBreakers.class);
                    assertThatThrownBy(breakers::a).isInstanceOf(IOException.class);
                    assertThatThrownBy(breakers::a).isInstanceOf(CircuitOpenException.class);
                    assertThat(breakers.b()).as("b has a breaker of its own").isEqualTo("b");
                    assertThatThrownBy(breakers::c).isInstanceOf(IOException.class);
                    assertThatThrownBy(breakers::d).as("d shares c's breaker").isInstanceOf(CircuitOpenException.class)
                            .hasMessageContaining("'shared'");
                    String own = OwnBreakers.class.getName() + ".";
                    assertThat(breakerNames(context.getBean(MeterRegistry.class))).as("one breaker per method, no other")
                            .containsExactlyInAnyOrder("default", "shared", own + "a()", own + "b()");
                });
    }

    private static Set<String> breakerNames(MeterRegistry meters) {
        return meters.find("circuitbreaker.state").gauges().stream().map(gauge -> gauge.getId().getTag("name"))
                .collect(java.util.stream.Collectors.toSet());
    }

    static class OwnBulkheads {

        final CountDownLatch entered = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);

        private String hold(String name) throws InterruptedException {
            entered.countDown();
            release.await(5, SECONDS);
            return name;
        }

        @Bulkhead
        public String a() throws InterruptedException {
            return hold("a");
        }

        @Bulkhead
        public String b() {
            return "b";
        }

        @Bulkhead("inherited")
        public String c() throws InterruptedException {
            return hold("c");
        }
    }

    @Test
    void anUnnamedBulkheadBelongsToItsMethodAndANamedEntryInheritsFromDefault() {
        runner.withBean(OwnBulkheads.class).withPropertyValues("retry.bulkheads.default.max-concurrent-calls=1",
                "retry.bulkheads.inherited.max-wait=0s").run(context -> {
                    OwnBulkheads bulkheads = context.getBean(OwnBulkheads.class);
                    Future<String> a = CALLERS.submit(bulkheads::a);
                    Future<String> c = CALLERS.submit(bulkheads::c);
                    await(target(bulkheads).entered);
                    assertThat(bulkheads.b()).as("b has a bulkhead of its own").isEqualTo("b");
                    assertThatThrownBy(bulkheads::a).isInstanceOf(BulkheadFullException.class);
                    assertThatThrownBy(bulkheads::c).as("the limit of 1 inherited from default")
                            .isInstanceOf(BulkheadFullException.class).hasMessageContaining("'inherited'")
                            .hasMessageContaining("1 concurrent call");
                    target(bulkheads).release.countDown();
                    assertThat(a.get(5, SECONDS)).isEqualTo("a");
                    assertThat(c.get(5, SECONDS)).isEqualTo("c");
                    String own = OwnBulkheads.class.getName() + ".";
                    assertThat(context.getBean(MeterRegistry.class).find("bulkhead.concurrent.calls").gauges())
                            .extracting(gauge -> gauge.getId().getTag("name")).as("one bulkhead per method, no other")
                            .containsExactlyInAnyOrder("default", "inherited", own + "a()", own + "b()");
                });
    }

    // ---- fallback methods ------------------------------------------------------------------------

    abstract static class FallbackBase {

        @SuppressWarnings("unused")
        private String inherited(String sku, Exception failure) {
            return "base:" + sku + ":" + failure.getMessage();
        }
    }

    static class Fallbacks extends FallbackBase {

        final AtomicBoolean fired = new AtomicBoolean();

        @Fallback("onVoid")
        public void fire() throws IOException {
            throw new IOException("void");
        }

        void onVoid() {
            fired.set(true);
        }

        @Fallback("boxed")
        public int count() {
            throw new IllegalStateException("count");
        }

        Integer boxed(RuntimeException failure) {
            return 7;
        }

        @Fallback("narrower")
        public CharSequence text(boolean missing) throws IOException {
            throw missing ? new FileNotFoundException("gone") : new IOException("io");
        }

        String narrower(boolean missing, Exception failure) {
            return "any";
        }

        String narrower(boolean missing, IOException failure) {
            return "io";
        }

        String narrower(boolean missing, FileNotFoundException failure) {
            return "missing";
        }

        @Fallback("inherited")
        public String fromBase(String sku) {
            throw new IllegalStateException("down");
        }

        @Fallback("narrower")
        public CharSequence bug(boolean missing) {
            throw new AssertionError("a bug, not a failure");
        }
    }

    @Test
    void fallbacksMatchVoidBoxedNarrowerAndInheritedSignaturesTheMostSpecificWinning() throws IOException {
        runner.withBean(Fallbacks.class).run(context -> {
            Fallbacks fallbacks = context.getBean(Fallbacks.class);
            fallbacks.fire();
            assertThat(target(fallbacks).fired).isTrue();
            assertThat(fallbacks.count()).isEqualTo(7);
            assertThat(fallbacks.text(true)).isEqualTo("missing");
            assertThat(fallbacks.text(false)).isEqualTo("io");
            assertThat(fallbacks.fromBase("x")).isEqualTo("base:x:down");
            assertThatThrownBy(() -> fallbacks.bug(true)).isInstanceOf(AssertionError.class);
        });
    }

    static class WrongReturnType {

        @Fallback("cached")
        public String price(String sku) {
            return sku;
        }

        Integer cached(String sku) {
            return 1;
        }
    }

    static class WrongParameters {

        @Fallback("cached")
        public String price(String sku) {
            return sku;
        }

        String cached(int sku) {
            return "1";
        }
    }

    @Test
    void aFallbackWithoutAMatchingSignatureStopsTheStartNamingTheMethod() {
        for (Class<?> type : List.of(WrongReturnType.class, WrongParameters.class)) {
            runner.withBean(type).run(context -> {
                assertThat(context).hasFailed();
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageContaining(type.getSimpleName() + ".price(String)")
                        .hasMessageContaining("@Fallback(\"cached\")")
                        .hasMessageContaining("cached(String)");
            });
        }
    }

    @Fallback("fallback")
    static class ClassLevelFallback {

        public String price(String sku) throws IOException {
            throw new IOException("down");
        }

        public String fallback(String sku, Exception failure) {
            return "fallback " + sku;
        }

        /** Static: no proxy ever calls it, so the class's annotations have nothing to do with it. */
        public static String helper(int value) {
            return String.valueOf(value);
        }

        // The object's identity, not guarded calls: no fallback is demanded for them.
        @Override
        public String toString() {
            return "prices";
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }

        @Override
        public int hashCode() {
            return 7;
        }
    }

    @Test
    void aClassLevelFallbackDoesNotApplyToTheFallbackMethodItselfNorToEqualsHashCodeAndToString() {
        runner.withBean(ClassLevelFallback.class).run(context -> {
            assertThat(context).hasNotFailed();
            ClassLevelFallback prices = context.getBean(ClassLevelFallback.class);
            assertThat(prices.price("a")).isEqualTo("fallback a");
            assertThat(prices.toString()).isEqualTo("prices");
        });
    }

    // ---- RetryContext ----------------------------------------------------------------------------

    static class Contexts {

        static String seen() {
            RetryContext context = RetryContext.current();
            return context.attempt() + "/" + context.idempotencyKey();
        }

        @CircuitBreaker("ctx")
        public String guarded() {
            return seen();
        }

        @Timeout
        public String timed() {
            return seen();
        }

        @Bulkhead
        public String limited() {
            return seen();
        }

        @Fallback("none")
        public String withFallback() {
            return seen();
        }

        String none(Exception failure) {
            return "fallback: " + failure;
        }

        @CircuitBreaker("ctx")
        public CompletableFuture<String> guardedAsync() {
            return CompletableFuture.completedFuture(seen());
        }

        @Retryable
        public String outer() {
            String outer = seen();
            String inner = guarded();
            return outer + " | " + inner + " | " + seen();
        }
    }

    @Test
    void everyAnnotatedCallSeesItsAttemptAndOneIdempotencyKeyPerInvocation() {
        runner.withBean(Contexts.class).withPropertyValues("retry.circuit-breakers.ctx.minimum-calls=10").run(context -> {
            Contexts contexts = context.getBean(Contexts.class);
            for (String seen : List.of(contexts.guarded(), contexts.timed(), contexts.limited(), contexts.withFallback(),
                    contexts.guardedAsync().join())) {
                assertThat(seen).startsWith("1/");
                assertThat(UUID.fromString(seen.substring(2))).isNotNull();
            }
            assertThat(contexts.guarded()).as("one key per invocation").isNotEqualTo(contexts.guarded());
            assertThat(RetryContext.isActive()).isFalse();
            String[] nested = contexts.outer().split(" \\| ");
            assertThat(nested[1]).as("an inner call inside a retried one keeps the outer key").isEqualTo(nested[0]);
            assertThat(nested[2]).isEqualTo(nested[0]);
        });
    }

    // ---- failure semantics -----------------------------------------------------------------------

    static class Failing {

        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch firstFailed = new CountDownLatch(1);

        @Retryable("sleepy")
        public String sleepy() throws IOException {
            calls.incrementAndGet();
            firstFailed.countDown();
            throw new IOException("down");
        }

        @Retryable("thrice")
        public String retried() throws IOException {
            throw new IOException("attempt " + calls.incrementAndGet());
        }

        @Hedged("quick")
        public String hedged() throws IOException {
            throw new IOException("hedged");
        }

        @Timeout("short")
        public String timed() throws IOException {
            throw new IOException("timed");
        }

        @Bulkhead
        @CircuitBreaker
        public String guarded() throws IOException {
            throw new IOException("guarded");
        }

        @Retryable("thrice")
        public CompletableFuture<String> async() {
            return CompletableFuture.failedFuture(new IOException("async " + calls.incrementAndGet()));
        }
    }

    @Test
    void aCheckedExceptionReachesTheCallerAsItIsThroughEveryPolicyWithEarlierAttemptsSuppressed() {
        runner.withBean(Failing.class).withPropertyValues("retry.policies.thrice.max-attempts=3",
                "retry.hedges.quick.delay=10ms", "retry.timeouts.short.duration=1s").run(context -> {
                    Failing failing = context.getBean(Failing.class);
                    Throwable retried = catchThrowable(failing::retried);
                    assertThat(retried).isExactlyInstanceOf(IOException.class).hasMessage("attempt 3");
                    assertThat(retried.getSuppressed()).extracting(Throwable::getMessage)
                            .containsExactly("attempt 1", "attempt 2");
                    assertThatThrownBy(failing::hedged).isExactlyInstanceOf(IOException.class).hasMessage("hedged");
                    assertThatThrownBy(failing::timed).isExactlyInstanceOf(IOException.class).hasMessage("timed");
                    assertThatThrownBy(failing::guarded).isExactlyInstanceOf(IOException.class).hasMessage("guarded");
                    target(failing).calls.set(0);
                    assertThat(failing.async()).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                            .havingCause().isExactlyInstanceOf(IOException.class).withMessage("async 3")
                            .satisfies(last -> assertThat(last.getSuppressed()).hasSize(2));
                });
    }

    @Test
    void anInterruptDuringABackoffStopsTheRetryingAtOnceKeepsTheFlagAndThrowsTheLastFailure() throws Exception {
        runner.withBean(Failing.class).withPropertyValues("retry.policies.sleepy.delay=5s",
                "retry.policies.sleepy.max-attempts=3").run(context -> {
                    Failing failing = context.getBean(Failing.class);
                    AtomicReference<Thread> caller = new AtomicReference<>();
                    Future<String> outcome = CALLERS.submit(() -> {
                        caller.set(Thread.currentThread());
                        long start = System.nanoTime();
                        try {
                            failing.sleepy();
                            return "no failure";
                        } catch (IOException last) {
                            return last.getMessage() + " interrupted=" + Thread.interrupted() + " fast="
                                    + (millisSince(start) < 2_000);
                        }
                    });
                    await(target(failing).firstFailed);
                    Thread.sleep(50);
                    caller.get().interrupt();
                    assertThat(outcome.get(5, SECONDS)).isEqualTo("down interrupted=true fast=true");
                    assertThat(target(failing).calls).hasValue(1);
                });
    }

    // ---- YAML: keys reach the policies, inheritance, strict names ---------------------------------

    static class Configured {

        final AtomicInteger calls = new AtomicInteger();

        @Retryable("orders")
        public String orders() throws IOException {
            calls.incrementAndGet();
            throw new IOException("orders");
        }

        @Retryable("budgeted")
        public String budgeted() throws IOException {
            calls.incrementAndGet();
            throw new IOException("budgeted");
        }

        @Retryable("bounded")
        public String bounded() throws IOException {
            calls.incrementAndGet();
            throw new IOException("bounded");
        }

        @Retryable("fixed")
        public String fixed() throws IOException {
            calls.incrementAndGet();
            throw new IOException("fixed");
        }

        @Retryable("narrow")
        public String narrow(Exception failure) throws Exception {
            calls.incrementAndGet();
            throw failure;
        }
    }

    @Test
    void aNamedPolicyInheritsUnsetKeysFromDefault() {
        runner.withBean(Configured.class).withPropertyValues("retry.policies.default.max-attempts=5",
                "retry.policies.orders.jitter=none").run(context -> {
                    Configured configured = context.getBean(Configured.class);
                    assertThatThrownBy(configured::orders).isInstanceOf(IOException.class);
                    assertThat(target(configured).calls).hasValue(5);
                });
    }

    @Test
    void budgetMaxDurationBackoffRetryOnAndAbortOnFromTheYamlGovernTheCalls() {
        runner.withBean(Configured.class).withPropertyValues(
                "retry.policies.budgeted.budget.ratio=0.1", "retry.policies.budgeted.budget.min-retries-per-second=0",
                "retry.policies.bounded.delay=2s", "retry.policies.bounded.max-duration=100ms",
                "retry.policies.fixed.backoff=fixed", "retry.policies.fixed.delay=100ms",
                "retry.policies.narrow.retry-on=java.io.IOException",
                "retry.policies.narrow.abort-on=java.io.FileNotFoundException").run(context -> {
                    Configured configured = context.getBean(Configured.class);
                    AtomicInteger calls = target(configured).calls;
                    MeterRegistry meters = context.getBean(MeterRegistry.class);

                    assertThatThrownBy(configured::budgeted).isInstanceOf(IOException.class);
                    assertThat(calls).as("the budget refused the retry").hasValue(1);
                    assertThat(counter(meters, "retry.budget.exhausted", "name", "budgeted")).isEqualTo(1);

                    calls.set(0);
                    long start = System.nanoTime();
                    assertThatThrownBy(configured::bounded).isInstanceOf(IOException.class);
                    assertThat(calls).as("no retry starts past max-duration").hasValue(1);
                    assertThat(millisSince(start)).as("nor is the 2 s delay waited out").isLessThan(1_000);

                    calls.set(0);
                    start = System.nanoTime();
                    assertThatThrownBy(configured::fixed).isInstanceOf(IOException.class);
                    assertThat(calls).hasValue(3);
                    assertThat(millisSince(start)).as("two fixed 100 ms delays").isBetween(190L, 1_000L);

                    calls.set(0);
                    assertThatThrownBy(() -> configured.narrow(new IllegalStateException("not listed")))
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(calls).as("retry-on narrows").hasValue(1);
                    calls.set(0);
                    assertThatThrownBy(() -> configured.narrow(new IllegalStateException(new java.net.SocketException("x"))))
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(calls).as("the cause chain matches").hasValue(3);
                    calls.set(0);
                    assertThatThrownBy(() -> configured.narrow(new FileNotFoundException("abort")))
                            .isInstanceOf(FileNotFoundException.class);
                    assertThat(calls).as("abort-on wins over retry-on").hasValue(1);
                });
    }

    static class UnknownBreaker {

        @CircuitBreaker("nope")
        public String call() {
            return "x";
        }
    }

    static class UnknownHedge {

        @Hedged("nope")
        public String call() {
            return "x";
        }
    }

    static class UnknownTimeout {

        @Timeout("nope")
        public String call() {
            return "x";
        }
    }

    @Test
    void everySectionRefusesAnUnconfiguredNameUnlessStrictNamesIsOff() {
        List<Object[]> cases = List.of(new Object[] {UnknownBreaker.class, "retry.circuit-breakers.nope"},
                new Object[] {UnknownHedge.class, "retry.hedges.nope"},
                new Object[] {UnknownTimeout.class, "retry.timeouts.nope"});
        for (Object[] each : cases) {
            Class<?> type = (Class<?>) each[0];
            runner.withBean(type).withPropertyValues("retry.strict-names=true").run(context -> {
                assertThat(context).hasFailed();
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageContaining(type.getSimpleName() + ".call()").hasMessageContaining((String) each[1])
                        .hasMessageContaining("not configured");
            });
            runner.withBean(type).withPropertyValues("retry.strict-names=false").run(context -> {
                assertThat(context).hasNotFailed();
                Object bean = context.getBean(type);
                assertThat(bean.getClass().getMethod("call").invoke(bean)).isEqualTo("x");
            });
        }
    }

    // ---- HTTP statuses and Retry-After ------------------------------------------------------------

    static class Http {

        final AtomicInteger calls = new AtomicInteger();

        private static HttpHeaders retryAfter(String value) {
            HttpHeaders headers = new HttpHeaders();
            if (value != null) {
                headers.set(HttpHeaders.RETRY_AFTER, value);
            }
            return headers;
        }

        static RuntimeException failure(int status, String retryAfter) {
            HttpStatus http = HttpStatus.valueOf(status);
            return http.is4xxClientError()
                    ? HttpClientErrorException.create(http, http.getReasonPhrase(), retryAfter(retryAfter), new byte[0],
                            StandardCharsets.UTF_8)
                    : HttpServerErrorException.create(http, http.getReasonPhrase(), retryAfter(retryAfter), new byte[0],
                            StandardCharsets.UTF_8);
        }

        @Retryable("statuses")
        public String statuses(int status) {
            calls.incrementAndGet();
            throw failure(status, null);
        }

        @Retryable("narrowed")
        public String narrowed(int status) {
            calls.incrementAndGet();
            throw failure(status, null);
        }

        @Retryable("capped")
        public String capped(String retryAfter) {
            if (calls.incrementAndGet() == 1) {
                throw failure(503, retryAfter);
            }
            return "ok";
        }
    }

    @Test
    void httpFailuresAreClassifiedByRetryOnStatusAndOther4xxAreNeverRetried() {
        runner.withBean(Http.class).withPropertyValues("retry.policies.statuses.retry-on-status=503",
                "retry.policies.narrowed.retry-on=java.io.IOException").run(context -> {
                    Http http = context.getBean(Http.class);
                    AtomicInteger calls = target(http).calls;
                    for (int[] statusAndAttempts : new int[][] {{503, 3}, {429, 1}, {404, 1}, {501, 3}}) {
                        calls.set(0);
                        assertThatThrownBy(() -> http.statuses(statusAndAttempts[0])).isInstanceOf(RuntimeException.class);
                        assertThat(calls).as("status %s", statusAndAttempts[0]).hasValue(statusAndAttempts[1]);
                    }
                    for (int[] statusAndAttempts : new int[][] {{503, 3}, {429, 3}, {408, 3}, {400, 1}, {501, 1}}) {
                        calls.set(0);
                        assertThatThrownBy(() -> http.narrowed(statusAndAttempts[0])).isInstanceOf(RuntimeException.class);
                        assertThat(calls).as("status %s with retry-on narrowed", statusAndAttempts[0])
                                .hasValue(statusAndAttempts[1]);
                    }
                });
    }

    @Test
    void aRetryAfterSetsTheNextDelayCappedByMaxDelay() {
        runner.withBean(Http.class).withPropertyValues("retry.policies.capped.delay=1ms",
                "retry.policies.capped.max-delay=200ms").run(context -> {
                    Http http = context.getBean(Http.class);
                    long start = System.nanoTime();
                    assertThat(http.capped("30")).isEqualTo("ok");
                    assertThat(millisSince(start)).as("30 s asked, capped at 200 ms").isBetween(190L, 2_000L);
                    target(http).calls.set(0);
                    start = System.nanoTime();
                    String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                            .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(1));
                    assertThat(http.capped(inAMinute)).isEqualTo("ok");
                    assertThat(millisSince(start)).as("an HTTP date is read too").isBetween(190L, 2_000L);
                });
    }

    // ---- adaptive --------------------------------------------------------------------------------

    static class Dead {

        @Retryable("adaptive")
        public String call() throws IOException {
            throw new IOException("dead");
        }

        @Retryable("steady")
        public String steady() throws IOException {
            throw new IOException("dead");
        }
    }

    @Test
    void anAdaptivePolicyStepsItsLimitDownUnderSustainedFailureAndAPlainOneNeverMoves() throws Exception {
        runner.withBean(Dead.class).withPropertyValues("retry.policies.adaptive.max-attempts=5",
                "retry.policies.adaptive.adaptive.enabled=true", "retry.policies.adaptive.adaptive.min-attempts=1",
                "retry.policies.steady.max-attempts=5").run(context -> {
                    Dead dead = context.getBean(Dead.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("retry.attempts.limit").tags("name", "adaptive").gauge().value()).isEqualTo(5);
                    boolean steppedDown = within(4_000, () -> {
                        catchThrowable(dead::call);
                        catchThrowable(dead::steady);
                        return meters.get("retry.attempts.limit").tags("name", "adaptive").gauge().value() < 5;
                    });
                    assertThat(steppedDown).isTrue();
                    assertThat(meters.get("retry.attempts.limit").tags("name", "steady").gauge().value()).isEqualTo(5);
                });
    }

    // ---- meters: every name, type and tag value ---------------------------------------------------

    static class Metered {

        final AtomicInteger hedgedCalls = new AtomicInteger();

        @Fallback("answer")
        @CircuitBreaker("metered")
        @Retryable("metered")
        public String call(String mode) throws Exception {
            switch (mode) {
                case "ok":
                    return "ok";
                case "ignored":
                    throw new IllegalArgumentException("ignored");
                default:
                    throw new IOException("failed");
            }
        }

        String answer(String mode, Exception failure) {
            return "fallback";
        }

        @Hedged("metered")
        public String hedged(boolean firstIsSlow) throws InterruptedException {
            if (hedgedCalls.incrementAndGet() == 1 && firstIsSlow) {
                Thread.sleep(2_000);
            }
            return "hedged";
        }

        @Hedged("metered")
        public String hedgedFailure() throws IOException {
            throw new IOException("every attempt");
        }

        @Timeout("metered")
        public String timed(String mode) throws Exception {
            switch (mode) {
                case "ok":
                    return "ok";
                case "slow":
                    Thread.sleep(2_000);
                    return "late";
                default:
                    throw new IOException("failed");
            }
        }

        @Bulkhead("metered")
        public double limited(MeterRegistry meters) {
            return meters.get("bulkhead.concurrent.calls").tags("name", "metered").gauge().value();
        }
    }

    @Test
    void everyMeterHasTheContractsNameTypeAndTagValues() {
        runner.withBean(Metered.class).withPropertyValues("retry.policies.metered.max-attempts=2",
                "retry.circuit-breakers.metered.minimum-calls=2",
                "retry.circuit-breakers.metered.ignore-on=java.lang.IllegalArgumentException",
                "retry.hedges.metered.delay=50ms", "retry.timeouts.metered.duration=150ms",
                "retry.bulkheads.metered.max-concurrent-calls=1").run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Metered metered = context.getBean(Metered.class);

                    // from the start, at zero
                    for (String outcome : List.of("success", "success_after_retry", "failure", "failure_after_retry")) {
                        assertThat(counter(meters, "retry.calls", "name", "metered", "outcome", outcome)).isZero();
                    }
                    assertThat(counter(meters, "retry.attempts", "name", "metered")).isZero();
                    assertThat(counter(meters, "retry.budget.exhausted", "name", "metered")).isZero();
                    assertThat(meters.get("retry.call.attempts").tags("name", "metered").summary().count()).isZero();
                    assertThat(meters.get("retry.attempts.limit").tags("name", "metered").gauge().value()).isEqualTo(2);
                    for (String outcome : List.of("success", "failure", "ignored")) {
                        assertThat(meters.get("circuitbreaker.calls").tags("name", "metered", "outcome", outcome).timer()
                                .count()).isZero();
                    }
                    assertThat(counter(meters, "circuitbreaker.rejected", "name", "metered")).isZero();
                    for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN", "DISABLED")) {
                        assertThat(meters.get("circuitbreaker.state").tags("name", "metered", "state", state).gauge().value())
                                .isEqualTo(state.equals("CLOSED") ? 1 : 0);
                    }
                    assertThat(meters.get("circuitbreaker.failure.rate").tags("name", "metered").gauge().value()).isEqualTo(-1);
                    assertThat(meters.get("circuitbreaker.slow.call.rate").tags("name", "metered").gauge().value())
                            .isEqualTo(-1);
                    for (String outcome : List.of("primary", "hedge", "failure")) {
                        assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", outcome)).isZero();
                    }
                    assertThat(counter(meters, "hedge.attempts", "name", "metered")).isZero();
                    for (String outcome : List.of("success", "failure", "timeout")) {
                        assertThat(counter(meters, "timeout.calls", "name", "metered", "outcome", outcome)).isZero();
                    }
                    for (String outcome : List.of("permitted", "rejected")) {
                        assertThat(counter(meters, "bulkhead.calls", "name", "metered", "outcome", outcome)).isZero();
                    }
                    assertThat(meters.get("bulkhead.concurrent.calls").tags("name", "metered").gauge().value()).isZero();

                    // retry, breaker, fallback
                    assertThat(metered.call("ok")).isEqualTo("ok");
                    assertThat(metered.call("ignored")).isEqualTo("fallback");
                    assertThat(meters.get("circuitbreaker.failure.rate").tags("name", "metered").gauge().value())
                            .as("ignored calls are not in the window").isEqualTo(-1);
                    assertThat(metered.call("failed")).isEqualTo("fallback");
                    assertThat(counter(meters, "retry.calls", "name", "metered", "outcome", "success")).isEqualTo(1);
                    assertThat(counter(meters, "retry.calls", "name", "metered", "outcome", "failure_after_retry"))
                            .isEqualTo(2);
                    assertThat(counter(meters, "retry.attempts", "name", "metered")).isEqualTo(2);
                    assertThat(meters.get("retry.call.attempts").tags("name", "metered").summary().totalAmount())
                            .isEqualTo(5);
                    assertThat(meters.get("circuitbreaker.calls").tags("name", "metered", "outcome", "success").timer()
                            .count()).isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.calls").tags("name", "metered", "outcome", "ignored").timer()
                            .count()).isEqualTo(2);
                    assertThat(meters.get("circuitbreaker.calls").tags("name", "metered", "outcome", "failure").timer()
                            .count()).isEqualTo(1);
                    assertThat(counter(meters, "circuitbreaker.rejected", "name", "metered")).isEqualTo(1);
                    assertThat(counter(meters, "circuitbreaker.transitions", "name", "metered", "from", "CLOSED", "to", "OPEN"))
                            .isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.state").tags("name", "metered", "state", "OPEN").gauge().value())
                            .isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.failure.rate").tags("name", "metered").gauge().value()).isEqualTo(50);
                    assertThat(meters.get("circuitbreaker.slow.call.rate").tags("name", "metered").gauge().value()).isZero();
                    assertThat(counter(meters, "fallback.calls", "exception", "IllegalArgumentException")).isEqualTo(1);
                    assertThat(counter(meters, "fallback.calls", "exception", "CircuitOpenException")).isEqualTo(1);

                    // hedge
                    assertThat(metered.hedged(false)).isEqualTo("hedged");
                    target(metered).hedgedCalls.set(0);
                    assertThat(metered.hedged(true)).isEqualTo("hedged");
                    assertThatThrownBy(metered::hedgedFailure).isInstanceOf(IOException.class);
                    assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", "primary")).isEqualTo(1);
                    assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", "hedge")).isEqualTo(1);
                    assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", "failure")).isEqualTo(1);
                    assertThat(counter(meters, "hedge.attempts", "name", "metered")).isGreaterThanOrEqualTo(1);

                    // timeout
                    assertThat(metered.timed("ok")).isEqualTo("ok");
                    assertThatThrownBy(() -> metered.timed("failed")).isInstanceOf(IOException.class);
                    assertThatThrownBy(() -> metered.timed("slow")).isInstanceOf(AttemptTimeoutException.class);
                    for (String outcome : List.of("success", "failure", "timeout")) {
                        assertThat(counter(meters, "timeout.calls", "name", "metered", "outcome", outcome)).isEqualTo(1);
                    }

                    // bulkhead
                    assertThat(metered.limited(meters)).as("the call holding a permit").isEqualTo(1);
                    assertThat(meters.get("bulkhead.concurrent.calls").tags("name", "metered").gauge().value()).isZero();
                    assertThat(counter(meters, "bulkhead.calls", "name", "metered", "outcome", "permitted")).isEqualTo(1);
                });
    }

    // ---- the actuator endpoint over HTTP ----------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ActuatorApplication {

        @Bean
        Guarded guarded() {
            return new Guarded();
        }
    }

    static class Guarded {

        final AtomicInteger calls = new AtomicInteger();

        @CircuitBreaker("inventory")
        public String call(boolean fail) throws IOException {
            calls.incrementAndGet();
            if (fail) {
                throw new IOException("down");
            }
            return "ok";
        }
        @CircuitBreaker
        public String own(String sku, int quantity) {
            return "own";
        }
    }

    @Test
    void theEndpointShowsAFreshBreakerExactlyAndMovesItToEachOfTheFiveStates() throws Exception {
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(ActuatorApplication.class)
                .web(WebApplicationType.SERVLET).logStartupInfo(false)
                .properties("server.port=0", "management.endpoints.web.exposure.include=circuitbreakers",
                        "retry.circuit-breakers.inventory.minimum-calls=1",
                        "retry.circuit-breakers.inventory.open-duration=500ms",
                        "retry.circuit-breakers.inventory.half-open-calls=1")
                .run()) {
            int port = application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            RestClient http = RestClient.builder().baseUrl("http://localhost:" + port + "/actuator/circuitbreakers")
                    .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { }).build();
            Guarded guarded = application.getBean(Guarded.class);
            AtomicInteger calls = target(guarded).calls;

            String fresh = "{\"state\":\"CLOSED\",\"failureRate\":-1.0,\"slowCallRate\":-1.0,\"bufferedCalls\":0,"
                    + "\"failedCalls\":0,\"slowCalls\":0,\"notPermittedCalls\":0}";
            assertThat(http.get().uri("/inventory").retrieve().body(String.class)).isEqualTo(fresh);
            assertThat(http.get().retrieve().body(String.class)).startsWith("{\"circuitBreakers\":{")
                    .contains("\"inventory\":" + fresh).contains("\"default\":" + fresh);
            assertThat(http.get().uri("/nope").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(404);
            String own = Guarded.class.getName() + ".own(String, int)";
            assertThat(http.get().uri("/{name}", own).retrieve().body(String.class)).as("a per-method breaker by name")
                    .isEqualTo(fresh);

            ResponseEntity<String> forced = move(http, "FORCED_OPEN");
            assertThat(forced.getStatusCode().value()).isEqualTo(200);
            assertThat(forced.getBody()).contains("\"state\":\"FORCED_OPEN\"");
            Thread.sleep(600);
            assertThatThrownBy(() -> guarded.call(false)).as("forced open stays open past open-duration")
                    .isInstanceOf(CircuitOpenException.class).hasMessageContaining("inventory");
            for (String bad : List.of("{\"state\":\"open\"}", "{\"state\":\"AJAR\"}", "{}")) {
                ResponseEntity<String> refused = http.post().uri("/inventory").contentType(MediaType.APPLICATION_JSON)
                        .body(bad).retrieve().toEntity(String.class);
                assertThat(refused.getStatusCode().value()).as(bad).isEqualTo(400);
            }
            assertThat(http.get().uri("/inventory").retrieve().body(String.class)).as("nothing changed")
                    .contains("\"state\":\"FORCED_OPEN\"");

            assertThat(move(http, "DISABLED").getBody()).contains("\"state\":\"DISABLED\"");
            calls.set(0);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> guarded.call(true)).isInstanceOf(IOException.class);
            }
            assertThat(calls).as("disabled permits every call").hasValue(3);
            assertThat(http.get().uri("/inventory").retrieve().body(String.class))
                    .as("disabled records nothing").contains("\"state\":\"DISABLED\"").contains("\"bufferedCalls\":0");

            assertThat(move(http, "OPEN").getBody()).contains("\"state\":\"OPEN\"");
            assertThatThrownBy(() -> guarded.call(false)).isInstanceOf(CircuitOpenException.class);

            assertThat(move(http, "HALF_OPEN").getBody()).contains("\"state\":\"HALF_OPEN\"");
            assertThat(guarded.call(false)).as("the trial call").isEqualTo("ok");
            assertThat(http.get().uri("/inventory").retrieve().body(String.class)).contains("\"state\":\"CLOSED\"");

            assertThat(move(http, "CLOSED").getBody()).contains("\"state\":\"CLOSED\"");
            assertThat(http.post().uri("/nope").contentType(MediaType.APPLICATION_JSON).body("{\"state\":\"OPEN\"}")
                    .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(404);
            assertThat(http.get().retrieve().body(String.class)).doesNotContain("nope");
        }
    }

    private static ResponseEntity<String> move(RestClient http, String state) {
        return http.post().uri("/inventory").contentType(MediaType.APPLICATION_JSON)
                .body("{\"state\":\"" + state + "\"}").retrieve().toEntity(String.class);
    }
}
