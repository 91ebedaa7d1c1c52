package dev.retry.spring.metrics;

import dev.retry.core.BulkheadListener;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerListener;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import dev.retry.core.FallbackListener;
import dev.retry.core.HedgeEvent;
import dev.retry.core.HedgeListener;
import dev.retry.core.RetryEvent;
import dev.retry.core.RetryListener;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutListener;
import dev.retry.spring.registry.PolicyListeners;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The contract's meters, as listeners that policies are built with. Every meter of an instance is
 * registered when its listener is created, so a dashboard shows zeros from the start instead of
 * nothing; the only tags are the instance's name, bounded outcomes and the class of a failure (one
 * value per class), never anything from a call's arguments.
 */
public final class RetryMetrics implements PolicyListeners {

    private final MeterRegistry registry;

    public RetryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void retryPolicyBuilt(String name, RetryPolicy policy) {
        bindRetryPolicy(name, policy);
    }

    @Override
    public void circuitBreakerBuilt(CircuitBreakerPolicy breaker) {
        bindCircuitBreaker(breaker);
    }

    /** Counts the calls, retries and budget refusals of the retry policy {@code name}. */
    @Override
    public RetryListener retryListener(String name) {
        Counter success = outcome(name, "success").none();
        Counter successAfterRetry = outcome(name, "success_after_retry").none();
        CountersByException failure = outcome(name, "failure");
        CountersByException failureAfterRetry = outcome(name, "failure_after_retry");
        CountersByException retries = new CountersByException(
                registry,
                "retry.attempts",
                "Retries made, the first attempt not counted, by the exception retried",
                Tags.of("name", name));
        Counter exhausted = Counter.builder("retry.budget.exhausted")
                .description("Retries refused by the retry budget")
                .tag("name", name)
                .register(registry);
        DistributionSummary attemptsPerCall = DistributionSummary.builder("retry.call.attempts")
                .description("Attempts made per call, the first included")
                .tag("name", name)
                // No buckets of our own: with buckets a record into the Prometheus summary costs a call about
                // twice as much (some 60 ns against 30, most of what meters cost it). An application that wants
                // the spread over 1, 2, 3... attempts asks for it with management.metrics.distribution.slo.
                .register(registry);
        return new RetryListener() {
            @Override
            public void onRetry(RetryEvent event) {
                retries.of(event.failure()).increment();
            }

            // A success is counted from plain values: the policy builds no event and reads no clock for it.
            @Override
            public void onCallSucceeded(String policy, int attempts) {
                (attempts > 1 ? successAfterRetry : success).increment();
                attemptsPerCall.record(attempts);
            }

            @Override
            public void onFailure(RetryEvent event) {
                (event.attempts() > 1 ? failureAfterRetry : failure)
                        .of(event.failure())
                        .increment();
                attemptsPerCall.record(event.attempts());
            }

            @Override
            public void onBudgetExhausted(RetryEvent event) {
                exhausted.increment();
            }
        };
    }

    /** The gauge of a retry policy's current attempt limit. */
    public void bindRetryPolicy(String name, RetryPolicy policy) {
        Gauge.builder("retry.attempts.limit", policy, RetryPolicy::currentMaxAttempts)
                .description("The policy's current maximum attempts; moves only when adaptive retry is enabled")
                .tag("name", name)
                .register(registry);
    }

    private CountersByException outcome(String name, String outcome) {
        return new CountersByException(
                registry,
                "retry.calls",
                "Calls made through a retry policy, by outcome and the exception that ended them",
                Tags.of("name", name, "outcome", outcome));
    }

    /**
     * Times the recorded calls and counts refusals and transitions of the breaker {@code name}. The
     * timer of each outcome is a {@link FunctionTimer} over a {@link CallTally} of the listener's
     * own: a call adds to two striped sums, and the registry reads them when it is scraped, instead of
     * every call updating the registry's timer (its decaying maximum and the clock that maximum reads).
     */
    @Override
    public CircuitBreakerListener circuitBreakerListener(String name) {
        CallTally[] calls = new CallTally[CircuitBreakerListener.Outcome.values().length];
        for (CircuitBreakerListener.Outcome outcome : CircuitBreakerListener.Outcome.values()) {
            CallTally tally = new CallTally();
            FunctionTimer.builder(
                            "circuitbreaker.calls",
                            tally,
                            CallTally::count,
                            CallTally::totalNanos,
                            TimeUnit.NANOSECONDS)
                    .description("Calls a circuit breaker let through")
                    .tag("name", name)
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
            calls[outcome.ordinal()] = tally;
        }
        Counter rejected = Counter.builder("circuitbreaker.rejected")
                .description("Calls refused by a circuit breaker")
                .tag("name", name)
                .register(registry);
        return new CircuitBreakerListener() {
            @Override
            public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
                calls[outcome.ordinal()].add(durationNanos);
            }

            @Override
            public void onCallRejected(String breaker, CircuitState state) {
                rejected.increment();
            }

            @Override
            public void onStateTransition(String breaker, CircuitState from, CircuitState to) {
                // Transitions are few and their pairs bounded (5 x 5), so the counter is looked up here.
                Counter.builder("circuitbreaker.transitions")
                        .description("Circuit breaker state transitions")
                        .tag("name", name)
                        .tag("from", from.name())
                        .tag("to", to.name())
                        .register(registry)
                        .increment();
            }
        };
    }

    /** The state and rate gauges of {@code breaker}, read from its snapshot when scraped. */
    public void bindCircuitBreaker(CircuitBreakerPolicy breaker) {
        String name = breaker.name();
        for (CircuitState state : CircuitState.values()) {
            Gauge.builder("circuitbreaker.state", breaker, b -> b.state() == state ? 1 : 0)
                    .description("1 for the breaker's current state, 0 for the others")
                    .tag("name", name)
                    .tag("state", state.name())
                    .register(registry);
        }
        Gauge.builder("circuitbreaker.failure.rate", breaker, b -> b.snapshot().failureRate())
                .description("Failed calls in the window, in percent; -1 until minimum-calls")
                .baseUnit("percent")
                .tag("name", name)
                .register(registry);
        Gauge.builder(
                        "circuitbreaker.slow.call.rate",
                        breaker,
                        b -> b.snapshot().slowCallRate())
                .description("Slow calls in the window, in percent; -1 until minimum-calls")
                .baseUnit("percent")
                .tag("name", name)
                .register(registry);
    }

    /** Counts which attempt won the calls of the hedging policy {@code name}, and the hedges started. */
    @Override
    public HedgeListener hedgeListener(String name) {
        Counter primary = hedgeOutcome(name, "primary");
        Counter hedge = hedgeOutcome(name, "hedge");
        Counter failure = hedgeOutcome(name, "failure");
        Counter started = Counter.builder("hedge.attempts")
                .description("Hedges started")
                .tag("name", name)
                .register(registry);
        return new HedgeListener() {
            @Override
            public void onHedgeStarted(HedgeEvent event) {
                started.increment();
            }

            @Override
            public void onPrimaryWon(HedgeEvent event) {
                primary.increment();
            }

            @Override
            public void onHedgeWon(HedgeEvent event) {
                hedge.increment();
            }

            @Override
            public void onAllFailed(HedgeEvent event) {
                failure.increment();
            }
        };
    }

    private Counter hedgeOutcome(String name, String outcome) {
        return Counter.builder("hedge.calls")
                .description("Hedged calls, by which attempt won")
                .tag("name", name)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Counts the attempts of the timeout {@code name} by how they ended. */
    @Override
    public TimeoutListener timeoutListener(String name) {
        Map<TimeoutListener.Outcome, Counter> outcomes = new EnumMap<>(TimeoutListener.Outcome.class);
        for (TimeoutListener.Outcome outcome : TimeoutListener.Outcome.values()) {
            outcomes.put(
                    outcome,
                    Counter.builder("timeout.calls")
                            .description("Attempts under a time limit, by outcome")
                            .tag("name", name)
                            .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                            .register(registry));
        }
        return (timeout, outcome, durationNanos) -> outcomes.get(outcome).increment();
    }

    /** Counts the permits the bulkhead {@code name} gave and refused. */
    @Override
    public BulkheadListener bulkheadListener(String name) {
        Counter permitted = bulkheadOutcome(name, "permitted");
        Counter rejected = bulkheadOutcome(name, "rejected");
        return new BulkheadListener() {
            @Override
            public void onCallPermitted(String bulkhead) {
                permitted.increment();
            }

            @Override
            public void onCallRejected(String bulkhead) {
                rejected.increment();
            }
        };
    }

    private Counter bulkheadOutcome(String name, String outcome) {
        return Counter.builder("bulkhead.calls")
                .description("Calls a bulkhead permitted or refused")
                .tag("name", name)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** The gauge of the calls holding one of the bulkhead's permits now. */
    @Override
    public void bulkheadBuilt(BulkheadPolicy bulkhead) {
        Gauge.builder("bulkhead.concurrent.calls", bulkhead, BulkheadPolicy::currentConcurrentCalls)
                .description("Calls holding a bulkhead permit now")
                .tag("name", bulkhead.name())
                .register(registry);
    }

    /**
     * Counts the failures fallbacks answered, by the failure's simple class name: exception types
     * are few, so the tag stays bounded.
     */
    @Override
    public FallbackListener fallbackListener() {
        return (fallback, failure, lastKnownGood) -> Counter.builder("fallback.calls")
                .description("Failed calls answered by a fallback")
                .tag("name", fallback)
                .tag("exception", failure.getClass().getSimpleName())
                .register(registry)
                .increment();
    }
}
