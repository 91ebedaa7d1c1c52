package dev.retry.spring.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code retry.*} keys as the user wrote them. Nothing here is resolved or checked: {@link
 * RetrySettings} does both, once, at start-up.
 *
 * <p>Every setting is nullable, {@code null} meaning "not written", so that a named entry can
 * inherit exactly the keys it leaves out from its section's {@code default} entry. Scalars are bound
 * as the text the user wrote rather than as {@code int}, {@link java.time.Duration} or an enum: Spring
 * Boot would stop at the first value it cannot convert, with a message that does not say what is
 * allowed, whereas {@link RetrySettings} reads them all and reports every bad value, its path and
 * what would be accepted, in one failure.
 *
 * <p>The configuration processor describes the maps ({@code retry.policies} and so on) but not the
 * keys inside their entries, so {@code META-INF/additional-spring-configuration-metadata.json} spells
 * those out, with their real types and defaults, for each section's {@code default} entry; keep its
 * descriptions in step with the field comments here ({@code RetryConfigurationMetadataTests} checks
 * that none is missing).
 */
@ConfigurationProperties("retry")
public class RetryProperties {

    /**
     * Whether an annotation that names an entry that is not configured fails the start-up (true),
     * or falls back to the section's default entry (false).
     */
    private boolean strictNames = true;

    /**
     * Whether a key under retry that retry does not read (a misspelt max-attemps, say) fails the
     * start-up (true) or is ignored (false). Environment variables are never checked.
     */
    private boolean failOnUnknownKeys = true;

    /**
     * How annotated methods are intercepted: proxy (the default) advises Spring beans through a
     * proxy; aspectj leaves them to the aspect of retry-aspectj woven into the classes, at compile
     * time or load time, which also intercepts calls from inside the class and objects built with new.
     */
    private String mode = "proxy";

    /**
     * Retry policies by name, used by @Retryable. The "default" entry is the base that every other
     * policy inherits unset keys from.
     */
    private final Map<String, Policy> policies = new LinkedHashMap<>();

    /**
     * Circuit breakers by name, used by @CircuitBreaker. The "default" entry is the base that every
     * other breaker inherits unset keys from.
     */
    private final Map<String, CircuitBreaker> circuitBreakers = new LinkedHashMap<>();

    /**
     * Hedging policies by name, used by @Hedged. The "default" entry is the base that every other
     * hedge inherits unset keys from.
     */
    private final Map<String, Hedge> hedges = new LinkedHashMap<>();

    /**
     * Time limits by name, used by @Timeout. The "default" entry is the base that every other timeout
     * inherits unset keys from.
     */
    private final Map<String, Timeout> timeouts = new LinkedHashMap<>();

    /**
     * Limits on concurrent calls by name, used by @Bulkhead. The "default" entry is the base that
     * every other bulkhead inherits unset keys from.
     */
    private final Map<String, Bulkhead> bulkheads = new LinkedHashMap<>();

    public boolean isStrictNames() {
        return strictNames;
    }

    public void setStrictNames(boolean strictNames) {
        this.strictNames = strictNames;
    }

    public boolean isFailOnUnknownKeys() {
        return failOnUnknownKeys;
    }

    public void setFailOnUnknownKeys(boolean failOnUnknownKeys) {
        this.failOnUnknownKeys = failOnUnknownKeys;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public Map<String, Policy> getPolicies() {
        return policies;
    }

    public Map<String, CircuitBreaker> getCircuitBreakers() {
        return circuitBreakers;
    }

    public Map<String, Hedge> getHedges() {
        return hedges;
    }

    public Map<String, Timeout> getTimeouts() {
        return timeouts;
    }

    public Map<String, Bulkhead> getBulkheads() {
        return bulkheads;
    }

    /** One entry of {@code retry.policies}. */
    public static class Policy {

        /** Total attempts, the first included: a whole number of at least 1. Default 3. */
        private @Nullable String maxAttempts;

        /** How the delay grows between retries: fixed, linear, exponential or fibonacci. Default exponential. */
        private @Nullable String backoff;

        /** Base delay before the first retry, such as 100ms or 2s: zero or more. Default 100ms. */
        private @Nullable String delay;

        /** Growth factor of the exponential backoff: a number of at least 1.0. Default 2.0. */
        private @Nullable String multiplier;

        /** Cap on any one delay: at least the delay. Default 10s, or the delay when that is longer. */
        private @Nullable String maxDelay;

        /** How delays are randomised: none, full, equal or decorrelated. Default full. */
        private @Nullable String jitter;

        /**
         * Limit on the whole call: no retry starts once this much time has passed. Zero or more; 0 (the
         * default) means no limit.
         */
        private @Nullable String maxDuration;

        /**
         * Fully qualified names of the exceptions to retry; subclasses and the cause chain match. Empty
         * (the default) retries every Exception.
         */
        private @Nullable List<String> retryOn;

        /** Fully qualified names of the exceptions never to retry; wins over retry-on. Default empty. */
        private @Nullable List<String> abortOn;

        /**
         * HTTP statuses (100 to 599) of Spring's HTTP client errors that are retried; other 4xx never
         * are. Default 408, 425, 429, 500, 502, 503, 504.
         */
        private @Nullable List<String> retryOnStatus;

        /** A limit on retries shared by all calls of the policy. */
        private @Nullable Budget budget;

        /** Attempts and delays that follow how well retries pay off. */
        private @Nullable Adaptive adaptive;

        public @Nullable String getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(@Nullable String maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public @Nullable String getBackoff() {
            return backoff;
        }

        public void setBackoff(@Nullable String backoff) {
            this.backoff = backoff;
        }

        public @Nullable String getDelay() {
            return delay;
        }

        public void setDelay(@Nullable String delay) {
            this.delay = delay;
        }

        public @Nullable String getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(@Nullable String multiplier) {
            this.multiplier = multiplier;
        }

        public @Nullable String getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(@Nullable String maxDelay) {
            this.maxDelay = maxDelay;
        }

        public @Nullable String getJitter() {
            return jitter;
        }

        public void setJitter(@Nullable String jitter) {
            this.jitter = jitter;
        }

        public @Nullable String getMaxDuration() {
            return maxDuration;
        }

        public void setMaxDuration(@Nullable String maxDuration) {
            this.maxDuration = maxDuration;
        }

        public @Nullable List<String> getRetryOn() {
            return retryOn;
        }

        public void setRetryOn(@Nullable List<String> retryOn) {
            this.retryOn = retryOn;
        }

        public @Nullable List<String> getAbortOn() {
            return abortOn;
        }

        public void setAbortOn(@Nullable List<String> abortOn) {
            this.abortOn = abortOn;
        }

        public @Nullable List<String> getRetryOnStatus() {
            return retryOnStatus;
        }

        public void setRetryOnStatus(@Nullable List<String> retryOnStatus) {
            this.retryOnStatus = retryOnStatus;
        }

        public @Nullable Budget getBudget() {
            return budget;
        }

        public void setBudget(@Nullable Budget budget) {
            this.budget = budget;
        }

        public @Nullable Adaptive getAdaptive() {
            return adaptive;
        }

        public void setAdaptive(@Nullable Adaptive adaptive) {
            this.adaptive = adaptive;
        }
    }

    /** {@code retry.policies.<name>.budget}. */
    public static class Budget {

        /**
         * Retries allowed per call over a sliding 10 s window: a number from 0 to 100. 0 (the default)
         * means no budget.
         */
        private @Nullable String ratio;

        /** Retries always allowed per second, whatever the ratio: a whole number of at least 0. Default 10. */
        private @Nullable String minRetriesPerSecond;

        public @Nullable String getRatio() {
            return ratio;
        }

        public void setRatio(@Nullable String ratio) {
            this.ratio = ratio;
        }

        public @Nullable String getMinRetriesPerSecond() {
            return minRetriesPerSecond;
        }

        public void setMinRetriesPerSecond(@Nullable String minRetriesPerSecond) {
            this.minRetriesPerSecond = minRetriesPerSecond;
        }
    }

    /** {@code retry.policies.<name>.adaptive}. */
    public static class Adaptive {

        /** Whether the attempt limit and the delays follow how well retries pay off. Default false. */
        private @Nullable String enabled;

        /** The fewest attempts adaptation may leave: from 1 to max-attempts. Default 1. */
        private @Nullable String minAttempts;

        public @Nullable String getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable String enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getMinAttempts() {
            return minAttempts;
        }

        public void setMinAttempts(@Nullable String minAttempts) {
            this.minAttempts = minAttempts;
        }
    }

    /** One entry of {@code retry.circuit-breakers}. */
    public static class CircuitBreaker {

        /** What the window holds: the last window-size calls (count) or seconds (time). Default count. */
        private @Nullable String window;

        /** Calls (count window: 1 to 1000000, at least minimum-calls) or seconds (time window: 1 to 3600) judged. Default 100. */
        private @Nullable String windowSize;

        /** Calls the window must hold before any rate is judged: at least 1. Default 20. */
        private @Nullable String minimumCalls;

        /** Failure rate, in percent, at which the breaker opens: above 0, at most 100. Default 50. */
        private @Nullable String failureRateThreshold;

        /** Calls that take at least this long are slow: more than zero. Default 60s. */
        private @Nullable String slowCallDuration;

        /** Slow-call rate, in percent, at which the breaker opens: above 0, at most 100. Default 100. */
        private @Nullable String slowCallRateThreshold;

        /** How long the breaker stays open before it lets trial calls through: more than zero. Default 30s. */
        private @Nullable String openDuration;

        /** Trial calls let through while half-open: at least 1. Default 5. */
        private @Nullable String halfOpenCalls;

        /**
         * Fully qualified names of the exceptions that count as failures. Empty (the default) counts
         * every Exception.
         */
        private @Nullable List<String> recordOn;

        /** Fully qualified names of the exceptions counted neither as success nor failure. Default empty. */
        private @Nullable List<String> ignoreOn;

        /**
         * HTTP statuses (100 to 599) of Spring's HTTP client errors that count as failures, when
         * spring-web is present; any other status means the service answered, and counts as a
         * success. Default 408, 425, 429, 500, 502, 503, 504, as retry-on-status.
         */
        private @Nullable List<String> recordOnStatus;

        public @Nullable String getWindow() {
            return window;
        }

        public void setWindow(@Nullable String window) {
            this.window = window;
        }

        public @Nullable String getWindowSize() {
            return windowSize;
        }

        public void setWindowSize(@Nullable String windowSize) {
            this.windowSize = windowSize;
        }

        public @Nullable String getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable String minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public @Nullable String getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(@Nullable String failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public @Nullable String getSlowCallDuration() {
            return slowCallDuration;
        }

        public void setSlowCallDuration(@Nullable String slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        public @Nullable String getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(@Nullable String slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public @Nullable String getOpenDuration() {
            return openDuration;
        }

        public void setOpenDuration(@Nullable String openDuration) {
            this.openDuration = openDuration;
        }

        public @Nullable String getHalfOpenCalls() {
            return halfOpenCalls;
        }

        public void setHalfOpenCalls(@Nullable String halfOpenCalls) {
            this.halfOpenCalls = halfOpenCalls;
        }

        public @Nullable List<String> getRecordOn() {
            return recordOn;
        }

        public void setRecordOn(@Nullable List<String> recordOn) {
            this.recordOn = recordOn;
        }

        public @Nullable List<String> getIgnoreOn() {
            return ignoreOn;
        }

        public void setIgnoreOn(@Nullable List<String> ignoreOn) {
            this.ignoreOn = ignoreOn;
        }

        public @Nullable List<String> getRecordOnStatus() {
            return recordOnStatus;
        }

        public void setRecordOnStatus(@Nullable List<String> recordOnStatus) {
            this.recordOnStatus = recordOnStatus;
        }
    }

    /** One entry of {@code retry.hedges}. */
    public static class Hedge {

        /**
         * How long to wait for an attempt before starting a hedge: a duration such as 100ms (zero or
         * more), or a percentile of observed latency from p50 to p99.9. Default 100ms.
         */
        private @Nullable String delay;

        /** Extra attempts beyond the first: a whole number from 0 to 10. Default 1. */
        private @Nullable String maxHedges;

        public @Nullable String getDelay() {
            return delay;
        }

        public void setDelay(@Nullable String delay) {
            this.delay = delay;
        }

        public @Nullable String getMaxHedges() {
            return maxHedges;
        }

        public void setMaxHedges(@Nullable String maxHedges) {
            this.maxHedges = maxHedges;
        }
    }

    /** One entry of {@code retry.timeouts}. */
    public static class Timeout {

        /** The limit on each attempt, such as 500ms or 2s: more than zero. Default 1s. */
        private @Nullable String duration;

        /** Whether a synchronous attempt's thread is interrupted at the deadline. Default true. */
        private @Nullable String interrupt;

        public @Nullable String getDuration() {
            return duration;
        }

        public void setDuration(@Nullable String duration) {
            this.duration = duration;
        }

        public @Nullable String getInterrupt() {
            return interrupt;
        }

        public void setInterrupt(@Nullable String interrupt) {
            this.interrupt = interrupt;
        }
    }

    /** One entry of {@code retry.bulkheads}. */
    public static class Bulkhead {

        /** Calls that may run at once: a whole number of at least 1. Default 25. */
        private @Nullable String maxConcurrentCalls;

        /** How long a call may wait for a permit: zero or more; 0 (the default) refuses at once. */
        private @Nullable String maxWait;

        public @Nullable String getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(@Nullable String maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public @Nullable String getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(@Nullable String maxWait) {
            this.maxWait = maxWait;
        }
    }
}
