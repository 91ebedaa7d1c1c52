package dev.retry.spring.registry;

import dev.retry.core.BulkheadPolicyBuilder;
import dev.retry.core.CircuitBreakerPolicyBuilder;
import dev.retry.core.HedgePolicyBuilder;
import dev.retry.core.RetryPolicyBuilder;
import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import dev.retry.core.TimeoutPolicyBuilder;
import java.util.Objects;

/**
 * The clock every policy of the {@link RetryRegistry} runs on, in place of the system's: declare a
 * bean of this type (as {@code retry-test}'s {@code @VirtualTime} does) and backoff delays, {@code
 * Retry-After}, breaker open durations, budget and adaptive windows, hedge delays and timeouts all
 * elapse on it. Without such a bean the policies use the system clock, as they always did.
 */
public final class PolicyTime {

    private final Ticker ticker;
    private final Sleeper sleeper;
    private final Scheduler scheduler;

    /**
     * @param ticker what policies read the time from
     * @param sleeper what synchronous retries wait on between attempts
     * @param scheduler what asynchronous retries, hedges, timeouts and bulkhead waits are timed by
     */
    public PolicyTime(Ticker ticker, Sleeper sleeper, Scheduler scheduler) {
        this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    }

    public Ticker ticker() {
        return ticker;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    void applyTo(RetryPolicyBuilder builder) {
        builder.ticker(ticker).sleeper(sleeper).scheduler(scheduler);
    }

    void applyTo(CircuitBreakerPolicyBuilder builder) {
        builder.ticker(ticker);
    }

    void applyTo(HedgePolicyBuilder builder) {
        builder.ticker(ticker).scheduler(scheduler);
    }

    void applyTo(TimeoutPolicyBuilder builder) {
        builder.ticker(ticker).scheduler(scheduler);
    }

    void applyTo(BulkheadPolicyBuilder builder) {
        builder.scheduler(scheduler);
    }
}
