package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.retry.core.Backoff;
import dev.retry.core.Jitter;

/**
 * A retry policy as it applies: every key of {@code retry.policies.<name>} resolved, unset ones
 * inherited from {@code retry.policies.default} and then from the built-in defaults, and checked.
 *
 * @param name the policy's name, as written under {@code retry.policies}
 * @param maxAttempts total attempts, the first included: at least 1
 * @param backoff how the delay grows between retries
 * @param delay the base delay before the first retry: zero or more
 * @param multiplier growth of {@link Backoff#EXPONENTIAL}: at least 1.0
 * @param maxDelay cap on any one delay: at least {@code delay}
 * @param jitter how delays are randomised
 * @param maxDuration limit on the whole call; zero means none
 * @param retryOn failures to retry; empty means every {@link Exception}
 * @param abortOn failures never to retry
 * @param retryOnStatus HTTP statuses of Spring's HTTP client errors to retry, as written
 * @param budget the retry budget shared by all calls of the policy
 * @param adaptive how the policy adapts to whether retries pay off
 */
public record EffectiveRetryPolicy(
        String name,
        int maxAttempts,
        Backoff backoff,
        Duration delay,
        double multiplier,
        Duration maxDelay,
        Jitter jitter,
        Duration maxDuration,
        List<Class<? extends Throwable>> retryOn,
        List<Class<? extends Throwable>> abortOn,
        List<Integer> retryOnStatus,
        Budget budget,
        Adaptive adaptive) {

    public EffectiveRetryPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(maxDuration, "maxDuration");
        retryOn = List.copyOf(retryOn);
        abortOn = List.copyOf(abortOn);
        retryOnStatus = List.copyOf(retryOnStatus);
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(adaptive, "adaptive");
    }

    /**
     * {@code retry.policies.<name>.budget}.
     *
     * @param ratio retries allowed per call over the sliding window; 0 means no budget
     * @param minRetriesPerSecond retries always allowed per second: zero or more
     */
    public record Budget(double ratio, int minRetriesPerSecond) {

        /** Whether there is a budget at all. */
        public boolean enabled() {
            return ratio > 0.0;
        }
    }

    /**
     * {@code retry.policies.<name>.adaptive}.
     *
     * @param enabled whether attempts and delays adapt
     * @param minAttempts the fewest attempts adaptation may leave: from 1 to {@code maxAttempts}
     */
    public record Adaptive(boolean enabled, int minAttempts) {
    }
}
