package dev.retry.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.retry.core.CircuitBreakerListener;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerPolicyBuilder;
import dev.retry.core.HedgePolicy;
import dev.retry.core.Pipeline;
import dev.retry.core.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Function;

/**
 * Each library's version of the protected call, configured alike: the same attempts, the same
 * breaker window and threshold, each through the API its documentation shows.
 *
 * <p>Where a library can decorate a function once and call it many times (Resilience4j), it is used
 * that way; where its API takes a supplier per call (Failsafe, both Spring templates), the lambda
 * that captures the request is part of what a user pays, and so of what is measured.
 *
 * <p>The settings, the contract's defaults:
 * <ul>
 *   <li>retry: 3 attempts, the first included; exponential backoff from 100 ms, doubling, at most
 *       10 s, randomised where the library offers it. The happy path never backs off, so the backoff
 *       only has to be alike, not identical.
 *   <li>breaker: a window of the last 100 calls, opening at 50 % failures once 20 calls are in it;
 *       30 s open, 5 trial calls half-open.
 * </ul>
 */
final class CoreCalls {

    static final int MAX_ATTEMPTS = 3;
    static final Duration DELAY = Duration.ofMillis(100);
    static final double MULTIPLIER = 2.0;
    static final Duration MAX_DELAY = Duration.ofSeconds(10);
    /** Randomisation as a share of the delay, for the libraries that express it so. */
    static final double JITTER_FACTOR = 0.5;

    static final int WINDOW = 100;
    static final int MINIMUM_CALLS = 20;
    static final int FAILURE_RATE_PERCENT = 50;
    static final Duration OPEN_DURATION = Duration.ofSeconds(30);
    static final int HALF_OPEN_CALLS = 5;

    /** The hedge delay: far beyond the call's own time, so no hedge is ever started. */
    static final Duration HEDGE_DELAY = Duration.ofMillis(100);

    private static final String NAME = "benchmark";

    private CoreCalls() {}

    static ProtectedCall direct() {
        return Downstream::call;
    }

    /** A retry policy alone. */
    static ProtectedCall retry(String library) {
        switch (library) {
            case "direct":
                return direct();
            case "retry":
                return through(Pipeline.builder().retry(ourRetry()).build());
            case "resilience4j":
                return through(Retry.decorateFunction(resilience4jRetry(), Downstream::call));
            case "failsafe":
                return through(Failsafe.with(failsafeRetry()));
            case "springRetryTemplate":
                return springRetryTemplate();
            case "springRetry":
                return springRetry();
            default:
                throw unknown(library);
        }
    }

    /** A circuit breaker alone. Neither Spring template has a breaker with a window of calls. */
    static ProtectedCall breaker(String library) {
        switch (library) {
            case "direct":
                return direct();
            case "retry":
                return through(Pipeline.builder().circuitBreaker(ourBreaker()).build());
            case "retryExactClock":
                return through(Pipeline.builder()
                        .circuitBreaker(ourBreakerOnTheExactClock())
                        .build());
            case "resilience4j":
                return through(CircuitBreaker.decorateFunction(resilience4jBreaker(), Downstream::call));
            case "failsafe":
                return through(Failsafe.with(failsafeBreaker()));
            default:
                throw unknown(library);
        }
    }

    /** A retry around a breaker, so that every attempt passes the breaker. */
    static ProtectedCall retryBreaker(String library) {
        switch (library) {
            case "direct":
                return direct();
            case "retry":
                return through(Pipeline.builder()
                        .retry(ourRetry())
                        .circuitBreaker(ourBreaker())
                        .build());
            case "retryExactClock":
                return through(Pipeline.builder()
                        .retry(ourRetry())
                        .circuitBreaker(ourBreakerOnTheExactClock())
                        .build());
            case "resilience4j":
                return through(Retry.decorateFunction(
                        resilience4jRetry(), CircuitBreaker.decorateFunction(resilience4jBreaker(), Downstream::call)));
            case "failsafe":
                // Failsafe.with lists policies outermost first.
                return through(Failsafe.with(failsafeRetry(), failsafeBreaker()));
            default:
                throw unknown(library);
        }
    }

    /** Our hedge, one hedge after {@link #HEDGE_DELAY}, with the default executor. */
    static ProtectedCall hedge() {
        return through(Pipeline.builder()
                .hedge(HedgePolicy.builder().delay(HEDGE_DELAY).maxHedges(1).build())
                .build());
    }

    // ---- retry, this library

    static RetryPolicy ourRetry() {
        // Exponential backoff from 100 ms, doubling, capped at 10 s, full jitter: the built-in defaults.
        return RetryPolicy.builder().name(NAME).maxAttempts(MAX_ATTEMPTS).build();
    }

    static CircuitBreakerPolicy ourBreaker() {
        return ourBreakerSettings().build();
    }

    /**
     * Our breaker with a listener that takes every call's duration, as the starter's meters do: it
     * then times each call with {@code System.nanoTime()} twice, as its rivals do, instead of the
     * coarse clock a breaker without such a listener uses. Shows what that clock saves.
     */
    static CircuitBreakerPolicy ourBreakerOnTheExactClock() {
        return ourBreakerSettings()
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
                        // Asking for durations is what matters; a meter would record this one.
                    }
                })
                .build();
    }

    private static CircuitBreakerPolicyBuilder ourBreakerSettings() {
        return CircuitBreakerPolicy.builder()
                .name(NAME)
                .countWindow(WINDOW)
                .minimumCalls(MINIMUM_CALLS)
                .failureRateThreshold(FAILURE_RATE_PERCENT)
                .openDuration(OPEN_DURATION)
                .halfOpenCalls(HALF_OPEN_CALLS);
    }

    private static ProtectedCall through(Pipeline pipeline) {
        return request -> pipeline.call(Downstream.FUNCTION, request);
    }

    // ---- Resilience4j

    static Retry resilience4jRetry() {
        return Retry.of(
                NAME,
                RetryConfig.custom()
                        .maxAttempts(MAX_ATTEMPTS)
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                DELAY, MULTIPLIER, JITTER_FACTOR, MAX_DELAY))
                        .build());
    }

    static CircuitBreaker resilience4jBreaker() {
        return CircuitBreaker.of(
                NAME,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(WINDOW)
                        .minimumNumberOfCalls(MINIMUM_CALLS)
                        .failureRateThreshold(FAILURE_RATE_PERCENT)
                        .waitDurationInOpenState(OPEN_DURATION)
                        .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_CALLS)
                        .build());
    }

    private static ProtectedCall through(Function<String, String> decorated) {
        return decorated::apply;
    }

    // ---- Failsafe

    static dev.failsafe.RetryPolicy<String> failsafeRetry() {
        return dev.failsafe.RetryPolicy.<String>builder()
                .withMaxAttempts(MAX_ATTEMPTS)
                .withBackoff(DELAY, MAX_DELAY, MULTIPLIER)
                .withJitter(JITTER_FACTOR)
                .build();
    }

    /**
     * Failsafe counts failures among the last executions rather than a rate after a minimum: 50 of
     * the last 100 is the same threshold, reached no earlier than after 50 calls.
     */
    static dev.failsafe.CircuitBreaker<String> failsafeBreaker() {
        return dev.failsafe.CircuitBreaker.<String>builder()
                .withFailureThreshold(WINDOW * FAILURE_RATE_PERCENT / 100, WINDOW)
                .withDelay(OPEN_DURATION)
                .withSuccessThreshold(HALF_OPEN_CALLS)
                .build();
    }

    private static ProtectedCall through(FailsafeExecutor<String> executor) {
        return request -> executor.get(() -> Downstream.call(request));
    }

    // ---- Spring Framework 7: org.springframework.core.retry

    private static ProtectedCall springRetryTemplate() {
        org.springframework.core.retry.RetryTemplate template =
                new org.springframework.core.retry.RetryTemplate(org.springframework.core.retry.RetryPolicy.builder()
                        .maxRetries(MAX_ATTEMPTS - 1) // retries, not attempts
                        .delay(DELAY)
                        .multiplier(MULTIPLIER)
                        .maxDelay(MAX_DELAY)
                        .jitter(Duration.ofMillis((long) (DELAY.toMillis() * JITTER_FACTOR)))
                        .build());
        return request -> template.execute(() -> Downstream.call(request));
    }

    // ---- Spring Retry 2.0

    private static ProtectedCall springRetry() {
        org.springframework.retry.support.RetryTemplate template =
                org.springframework.retry.support.RetryTemplate.builder()
                        .maxAttempts(MAX_ATTEMPTS)
                        .exponentialBackoff(DELAY, MULTIPLIER, MAX_DELAY, true)
                        .build();
        return request -> template.execute(context -> Downstream.call(request));
    }

    private static IllegalArgumentException unknown(String library) {
        return new IllegalArgumentException("no such library in this benchmark: " + library);
    }
}
