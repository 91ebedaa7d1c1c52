package dev.retry.spring;

import static dev.retry.spring.ContractChecks.CALLERS;
import static dev.retry.spring.ContractChecks.counter;
import static dev.retry.spring.ContractChecks.target;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.AttemptTimeoutException;
import dev.retry.spring.registry.PolicyTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every meter of the contract, with its name, type and tag values.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class MeterContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

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
                Thread.sleep(30_000); // interrupted once the hedge has won
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
                    Thread.sleep(30_000); // interrupted at the deadline
                    return "late";
                default:
                    throw new IOException("failed");
            }
        }

        @Bulkhead("metered")
        public double limited(MeterRegistry meters) {
            return meters.get("bulkhead.concurrent.calls")
                    .tags("name", "metered")
                    .gauge()
                    .value();
        }
    }

    @Test
    void everyMeterHasTheContractsNameTypeAndTagValues() {
        // The hedge's timer and the deadline fire only when the test fires them: with real ones, a
        // core stalled past the 50 ms hedge delay or the 150 ms timeout turned a primary's win into
        // a hedge's, or a quick answer into a timeout. The timeout is 30 s because the call reads the
        // clock too: only a slow attempt, whose deadline the test fires, times out.
        HeldTimers timers = new HeldTimers();
        runner.withBean(Metered.class)
                .withBean(PolicyTime.class, timers::policyTime)
                .withPropertyValues(
                        "retry.policies.metered.max-attempts=2",
                        "retry.circuit-breakers.metered.minimum-calls=2",
                        "retry.circuit-breakers.metered.ignore-on=java.lang.IllegalArgumentException",
                        "retry.hedges.metered.delay=50ms",
                        "retry.timeouts.metered.duration=30s",
                        "retry.bulkheads.metered.max-concurrent-calls=1")
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Metered metered = context.getBean(Metered.class);

                    // from the start, at zero
                    for (String outcome : List.of("success", "success_after_retry", "failure", "failure_after_retry")) {
                        assertThat(counter(meters, "retry.calls", "name", "metered", "outcome", outcome))
                                .isZero();
                    }
                    assertThat(counter(meters, "retry.attempts", "name", "metered"))
                            .isZero();
                    assertThat(counter(meters, "retry.budget.exhausted", "name", "metered"))
                            .isZero();
                    assertThat(meters.get("retry.call.attempts")
                                    .tags("name", "metered")
                                    .summary()
                                    .count())
                            .isZero();
                    assertThat(meters.get("retry.attempts.limit")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .isEqualTo(2);
                    for (String outcome : List.of("success", "failure", "ignored")) {
                        assertThat(meters.get("circuitbreaker.calls")
                                        .tags("name", "metered", "outcome", outcome)
                                        .functionTimer()
                                        .count())
                                .isZero();
                    }
                    assertThat(counter(meters, "circuitbreaker.rejected", "name", "metered"))
                            .isZero();
                    for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN", "DISABLED")) {
                        assertThat(meters.get("circuitbreaker.state")
                                        .tags("name", "metered", "state", state)
                                        .gauge()
                                        .value())
                                .isEqualTo(state.equals("CLOSED") ? 1 : 0);
                    }
                    assertThat(meters.get("circuitbreaker.failure.rate")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .isEqualTo(-1);
                    assertThat(meters.get("circuitbreaker.slow.call.rate")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .isEqualTo(-1);
                    for (String outcome : List.of("primary", "hedge", "failure")) {
                        assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", outcome))
                                .isZero();
                    }
                    assertThat(counter(meters, "hedge.attempts", "name", "metered"))
                            .isZero();
                    for (String outcome : List.of("success", "failure", "timeout")) {
                        assertThat(counter(meters, "timeout.calls", "name", "metered", "outcome", outcome))
                                .isZero();
                    }
                    for (String outcome : List.of("permitted", "rejected")) {
                        assertThat(counter(meters, "bulkhead.calls", "name", "metered", "outcome", outcome))
                                .isZero();
                    }
                    assertThat(meters.get("bulkhead.concurrent.calls")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .isZero();

                    // retry, breaker, fallback
                    assertThat(metered.call("ok")).isEqualTo("ok");
                    assertThat(metered.call("ignored")).isEqualTo("fallback");
                    assertThat(meters.get("circuitbreaker.failure.rate")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .as("ignored calls are not in the window")
                            .isEqualTo(-1);
                    assertThat(metered.call("failed")).isEqualTo("fallback");
                    assertThat(counter(meters, "retry.calls", "name", "metered", "outcome", "success"))
                            .isEqualTo(1);
                    assertThat(counter(meters, "retry.calls", "name", "metered", "outcome", "failure_after_retry"))
                            .isEqualTo(2);
                    assertThat(counter(meters, "retry.attempts", "name", "metered"))
                            .isEqualTo(2);
                    // each call and retry also under the simple name of the exception behind it
                    assertThat(counter(
                                    meters,
                                    "retry.calls",
                                    "name",
                                    "metered",
                                    "outcome",
                                    "success",
                                    "exception",
                                    "none"))
                            .isEqualTo(1);
                    assertThat(counter(
                                    meters,
                                    "retry.calls",
                                    "name",
                                    "metered",
                                    "outcome",
                                    "failure_after_retry",
                                    "exception",
                                    "IllegalArgumentException"))
                            .isEqualTo(1);
                    assertThat(counter(
                                    meters,
                                    "retry.calls",
                                    "name",
                                    "metered",
                                    "outcome",
                                    "failure_after_retry",
                                    "exception",
                                    "CircuitOpenException"))
                            .as(
                                    "the breaker opened after the IOException, so it refused the retry: that ended the call")
                            .isEqualTo(1);
                    assertThat(counter(meters, "retry.attempts", "name", "metered", "exception", "IOException"))
                            .isEqualTo(1);
                    assertThat(counter(
                                    meters,
                                    "retry.attempts",
                                    "name",
                                    "metered",
                                    "exception",
                                    "IllegalArgumentException"))
                            .isEqualTo(1);
                    assertThat(meters.find("retry.calls")
                                    .tag("exception", "none")
                                    .tag("outcome", "failure")
                                    .counter())
                            .as("a failure is never counted as 'none' when it had an exception")
                            .extracting(Counter::count)
                            .isEqualTo(0.0);
                    assertThat(meters.get("retry.call.attempts")
                                    .tags("name", "metered")
                                    .summary()
                                    .totalAmount())
                            .isEqualTo(5);
                    assertThat(meters.get("circuitbreaker.calls")
                                    .tags("name", "metered", "outcome", "success")
                                    .functionTimer()
                                    .count())
                            .isEqualTo(1.0);
                    assertThat(meters.get("circuitbreaker.calls")
                                    .tags("name", "metered", "outcome", "ignored")
                                    .functionTimer()
                                    .count())
                            .isEqualTo(2.0);
                    assertThat(meters.get("circuitbreaker.calls")
                                    .tags("name", "metered", "outcome", "failure")
                                    .functionTimer()
                                    .count())
                            .isEqualTo(1.0);
                    assertThat(counter(meters, "circuitbreaker.rejected", "name", "metered"))
                            .isEqualTo(1);
                    assertThat(counter(
                                    meters,
                                    "circuitbreaker.transitions",
                                    "name",
                                    "metered",
                                    "from",
                                    "CLOSED",
                                    "to",
                                    "OPEN"))
                            .isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.state")
                                    .tags("name", "metered", "state", "OPEN")
                                    .gauge()
                                    .value())
                            .isEqualTo(1);
                    assertThat(meters.get("circuitbreaker.failure.rate")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .isEqualTo(50);
                    assertThat(meters.get("circuitbreaker.slow.call.rate")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .isZero();
                    assertThat(counter(meters, "fallback.calls", "exception", "IllegalArgumentException"))
                            .isEqualTo(1);
                    assertThat(counter(meters, "fallback.calls", "exception", "CircuitOpenException"))
                            .isEqualTo(1);

                    // hedge
                    assertThat(metered.hedged(false)).isEqualTo("hedged");
                    target(metered).hedgedCalls.set(0);
                    Future<String> overtaken = CALLERS.submit(() -> metered.hedged(true));
                    timers.awaitTimer(Duration.ofMillis(50)).fire();
                    assertThat(overtaken.get(30, SECONDS)).isEqualTo("hedged");
                    assertThatThrownBy(metered::hedgedFailure).isInstanceOf(IOException.class);
                    assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", "primary"))
                            .isEqualTo(1);
                    assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", "hedge"))
                            .isEqualTo(1);
                    assertThat(counter(meters, "hedge.calls", "name", "metered", "outcome", "failure"))
                            .isEqualTo(1);
                    assertThat(counter(meters, "hedge.attempts", "name", "metered"))
                            .isGreaterThanOrEqualTo(1);

                    // timeout
                    assertThat(metered.timed("ok")).isEqualTo("ok");
                    assertThatThrownBy(() -> metered.timed("failed")).isInstanceOf(IOException.class);
                    Future<String> slow = CALLERS.submit(() -> metered.timed("slow"));
                    timers.awaitTimer(Duration.ofSeconds(30)).fire();
                    assertThatThrownBy(() -> slow.get(30, SECONDS)).cause().isInstanceOf(AttemptTimeoutException.class);
                    for (String outcome : List.of("success", "failure", "timeout")) {
                        assertThat(counter(meters, "timeout.calls", "name", "metered", "outcome", outcome))
                                .isEqualTo(1);
                    }

                    // bulkhead
                    assertThat(metered.limited(meters))
                            .as("the call holding a permit")
                            .isEqualTo(1);
                    assertThat(meters.get("bulkhead.concurrent.calls")
                                    .tags("name", "metered")
                                    .gauge()
                                    .value())
                            .isZero();
                    assertThat(counter(meters, "bulkhead.calls", "name", "metered", "outcome", "permitted"))
                            .isEqualTo(1);
                });
    }
}
