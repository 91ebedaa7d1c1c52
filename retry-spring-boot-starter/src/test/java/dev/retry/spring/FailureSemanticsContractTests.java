package dev.retry.spring;

import static dev.retry.spring.ContractChecks.CALLERS;
import static dev.retry.spring.ContractChecks.awaitOpen;
import static dev.retry.spring.ContractChecks.millisSince;
import static dev.retry.spring.ContractChecks.target;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import dev.retry.spring.registry.PolicyTime;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What a failed call throws: the last attempt's own exception with the earlier ones suppressed, and
 * an interrupt during a backoff.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class FailureSemanticsContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

    static class Failing {

        final AtomicInteger calls = new AtomicInteger();

        @Retryable("sleepy")
        public String sleepy() throws IOException {
            calls.incrementAndGet();
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
        // A timeout that never fires here: the call reads the clock too, and a core stalled past a 1 s
        // one turned the failure of an attempt that had overrun it into a timeout.
        runner.withBean(Failing.class)
                .withPropertyValues(
                        "retry.policies.thrice.max-attempts=3",
                        "retry.hedges.quick.delay=10ms",
                        "retry.timeouts.short.duration=30s")
                .run(context -> {
                    Failing failing = context.getBean(Failing.class);
                    Throwable retried = catchThrowable(failing::retried);
                    assertThat(retried).isExactlyInstanceOf(IOException.class).hasMessage("attempt 3");
                    assertThat(retried.getSuppressed())
                            .extracting(Throwable::getMessage)
                            .containsExactly("attempt 1", "attempt 2");
                    assertThatThrownBy(failing::hedged)
                            .isExactlyInstanceOf(IOException.class)
                            .hasMessage("hedged");
                    assertThatThrownBy(failing::timed)
                            .isExactlyInstanceOf(IOException.class)
                            .hasMessage("timed");
                    assertThatThrownBy(failing::guarded)
                            .isExactlyInstanceOf(IOException.class)
                            .hasMessage("guarded");
                    target(failing).calls.set(0);
                    assertThat(failing.async())
                            .failsWithin(Duration.ofSeconds(30))
                            .withThrowableOfType(ExecutionException.class)
                            .havingCause()
                            .isExactlyInstanceOf(IOException.class)
                            .withMessage("async 3")
                            .satisfies(last -> assertThat(last.getSuppressed()).hasSize(2));
                });
    }

    @Test
    void anInterruptDuringABackoffStopsTheRetryingAtOnceKeepsTheFlagAndThrowsTheLastFailure() throws Exception {
        // The interrupt is sent once the backoff has begun, which the sleeper reports, rather than 50 ms
        // after the first failure. "At once" means well inside the 60 s backoff: a stalled core can
        // delay the answer by seconds, never by half a minute.
        CountDownLatch backoffBegun = new CountDownLatch(1);
        Sleeper reporting = nanos -> {
            backoffBegun.countDown();
            Sleeper.system().sleep(nanos);
        };
        runner.withBean(Failing.class)
                .withBean(PolicyTime.class, () -> new PolicyTime(Ticker.system(), reporting, Scheduler.system()))
                .withPropertyValues("retry.policies.sleepy.delay=60s", "retry.policies.sleepy.max-attempts=3")
                .run(context -> {
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
                                    + (millisSince(start) < 30_000);
                        }
                    });
                    awaitOpen(backoffBegun);
                    caller.get().interrupt();
                    assertThat(outcome.get(30, SECONDS)).isEqualTo("down interrupted=true fast=true");
                    assertThat(target(failing).calls).hasValue(1);
                });
    }
}
