package dev.retry.spring.config;

import dev.retry.core.Backoff;
import dev.retry.core.CircuitBreakerConfig.WindowType;
import dev.retry.core.Jitter;
import java.time.Duration;
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
 * inherit exactly the keys it leaves out from its section's {@code default} entry. Keys have their
 * real types ({@link Integer}, {@link Duration}, the core's enums), so that an IDE completes and
 * explains the keys of a named entry such as {@code retry.policies.inventory.jitter} from these
 * classes and their field comments, as it does for any map of objects. Binding them goes through
 * {@link RetryPropertiesBinder}, which notes a value Spring cannot convert under its path and binds
 * on, so that {@link RetrySettings} reports every bad value, its path and what is allowed in one
 * failure instead of Spring stopping at the first. Exception class names and HTTP statuses stay
 * text: the starter checks and reports them itself.
 *
 * <p>The configuration processor describes the maps ({@code retry.policies} and so on), naming each
 * entry class as the map's value type, but not the keys inside their entries: an IDE reads those
 * from the entry class, for a named entry such as {@code inventory} as for any other. For each
 * section's {@code default} entry, {@code META-INF/additional-spring-configuration-metadata.json}
 * spells the keys out, with their types, built-in defaults and value hints; keep its descriptions
 * in step with the field comments here ({@code RetryConfigurationMetadataTests} checks that none is
 * missing, that its types are these fields' types, and that its defaults are the core builders').
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

    /** The recent events that the retryevents endpoint shows. */
    private final Events events = new Events();

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

    public Events getEvents() {
        return events;
    }

    /** {@code retry.events}: what is kept of each name's recent events. */
    public static class Events {

        /**
         * Events kept per policy, breaker, hedge, timeout and bulkhead name, newest first, from 0 to
         * 10000; 0 records nothing, and the retryevents endpoint then shows empty lists.
         */
        private int bufferSize = 100;

        public int getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
        }
    }

    /** One entry of {@code retry.policies}. */
    public static class Policy {

        /** Total attempts, the first included: a whole number of at least 1. When unset, the default entry's value, itself 3. */
        private @Nullable Integer maxAttempts;

        /** How the delay grows between retries: fixed, linear, exponential or fibonacci. When unset, the default entry's value, itself exponential. */
        private @Nullable Backoff backoff;

        /** Base delay before the first retry, such as 100ms or 2s: zero or more. When unset, the default entry's value, itself 100ms. */
        private @Nullable Duration delay;

        /** Growth factor of the exponential backoff: a number of at least 1.0. When unset, the default entry's value, itself 2.0. */
        private @Nullable Double multiplier;

        /** Cap on any one delay: at least the delay. When unset, the default entry's value, itself 10s, or the delay when that is longer. */
        private @Nullable Duration maxDelay;

        /** How delays are randomised: none, full, equal or decorrelated. When unset, the default entry's value, itself full. */
        private @Nullable Jitter jitter;

        /**
         * Limit on the whole call: no retry starts once this much time has passed. Zero or more; 0 (the
         * default) means no limit. When unset, the default entry's value.
         */
        private @Nullable Duration maxDuration;

        /**
         * Fully qualified names of the exceptions to retry; subclasses and the cause chain match. Empty
         * (the default) retries every Exception. When unset, the default entry's value.
         */
        private @Nullable List<String> retryOn;

        /** Fully qualified names of the exceptions never to retry; wins over retry-on. When unset, the default entry's value, itself empty. */
        private @Nullable List<String> abortOn;

        /**
         * HTTP statuses (100 to 599) of Spring's HTTP client errors that are retried; other 4xx never
         * are. When unset, the default entry's value, itself 408, 425, 429, 500, 502, 503, 504.
         */
        private @Nullable List<String> retryOnStatus;

        /** A limit on retries shared by all calls of the policy. */
        private @Nullable Budget budget;

        /** Attempts and delays that follow how well retries pay off. */
        private @Nullable Adaptive adaptive;

        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public @Nullable Backoff getBackoff() {
            return backoff;
        }

        public void setBackoff(@Nullable Backoff backoff) {
            this.backoff = backoff;
        }

        public @Nullable Duration getDelay() {
            return delay;
        }

        public void setDelay(@Nullable Duration delay) {
            this.delay = delay;
        }

        public @Nullable Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(@Nullable Double multiplier) {
            this.multiplier = multiplier;
        }

        public @Nullable Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(@Nullable Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public @Nullable Jitter getJitter() {
            return jitter;
        }

        public void setJitter(@Nullable Jitter jitter) {
            this.jitter = jitter;
        }

        public @Nullable Duration getMaxDuration() {
            return maxDuration;
        }

        public void setMaxDuration(@Nullable Duration maxDuration) {
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
         * means no budget. When unset, the default entry's value.
         */
        private @Nullable Double ratio;

        /** Retries always allowed per second, whatever the ratio: a whole number of at least 0. When unset, the default entry's value, itself 10. */
        private @Nullable Integer minRetriesPerSecond;

        public @Nullable Double getRatio() {
            return ratio;
        }

        public void setRatio(@Nullable Double ratio) {
            this.ratio = ratio;
        }

        public @Nullable Integer getMinRetriesPerSecond() {
            return minRetriesPerSecond;
        }

        public void setMinRetriesPerSecond(@Nullable Integer minRetriesPerSecond) {
            this.minRetriesPerSecond = minRetriesPerSecond;
        }
    }

    /** {@code retry.policies.<name>.adaptive}. */
    public static class Adaptive {

        /** Whether the attempt limit and the delays follow how well retries pay off. When unset, the default entry's value, itself false. */
        private @Nullable Boolean enabled;

        /** The fewest attempts adaptation may leave: from 1 to max-attempts. When unset, the default entry's value, itself 1. */
        private @Nullable Integer minAttempts;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Integer getMinAttempts() {
            return minAttempts;
        }

        public void setMinAttempts(@Nullable Integer minAttempts) {
            this.minAttempts = minAttempts;
        }
    }

    /** One entry of {@code retry.circuit-breakers}. */
    public static class CircuitBreaker {

        /** What the window holds: the last window-size calls (count) or seconds (time). When unset, the default entry's value, itself count. */
        private @Nullable WindowType window;

        /** Calls (count window: 1 to 1000000, at least minimum-calls) or seconds (time window: 1 to 3600) judged. When unset, the default entry's value, itself 100. */
        private @Nullable Integer windowSize;

        /** Calls the window must hold before any rate is judged: at least 1. When unset, the default entry's value, itself 20. */
        private @Nullable Integer minimumCalls;

        /** Failure rate, in percent, at which the breaker opens: above 0, at most 100. When unset, the default entry's value, itself 50. */
        private @Nullable Float failureRateThreshold;

        /** Calls that take at least this long are slow: more than zero. When unset, the default entry's value, itself 60s. */
        private @Nullable Duration slowCallDuration;

        /** Slow-call rate, in percent, at which the breaker opens: above 0, at most 100. When unset, the default entry's value, itself 100. */
        private @Nullable Float slowCallRateThreshold;

        /** How long the breaker stays open before it lets trial calls through: more than zero. When unset, the default entry's value, itself 30s. */
        private @Nullable Duration openDuration;

        /** Trial calls let through while half-open: at least 1. When unset, the default entry's value, itself 5. */
        private @Nullable Integer halfOpenCalls;

        /**
         * Fully qualified names of the exceptions that count as failures. Empty (the default) counts
         * every Exception. When unset, the default entry's value.
         */
        private @Nullable List<String> recordOn;

        /** Fully qualified names of the exceptions counted neither as success nor failure. When unset, the default entry's value, itself empty. */
        private @Nullable List<String> ignoreOn;

        /**
         * HTTP statuses (100 to 599) of Spring's HTTP client errors that count as failures, when
         * spring-web is present; any other status means the service answered, and counts as a
         * success. When unset, the default entry's value, itself 408, 425, 429, 500, 502, 503, 504, as retry-on-status.
         */
        private @Nullable List<String> recordOnStatus;

        public @Nullable WindowType getWindow() {
            return window;
        }

        public void setWindow(@Nullable WindowType window) {
            this.window = window;
        }

        public @Nullable Integer getWindowSize() {
            return windowSize;
        }

        public void setWindowSize(@Nullable Integer windowSize) {
            this.windowSize = windowSize;
        }

        public @Nullable Integer getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public @Nullable Float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public @Nullable Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        public void setSlowCallDuration(@Nullable Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        public @Nullable Float getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(@Nullable Float slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public @Nullable Duration getOpenDuration() {
            return openDuration;
        }

        public void setOpenDuration(@Nullable Duration openDuration) {
            this.openDuration = openDuration;
        }

        public @Nullable Integer getHalfOpenCalls() {
            return halfOpenCalls;
        }

        public void setHalfOpenCalls(@Nullable Integer halfOpenCalls) {
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
         * more), or a percentile of observed latency from p50 to p99.9. When unset, the default entry's value, itself 100ms.
         */
        private @Nullable String delay;

        /** Extra attempts beyond the first: a whole number from 0 to 10. When unset, the default entry's value, itself 1. */
        private @Nullable Integer maxHedges;

        public @Nullable String getDelay() {
            return delay;
        }

        public void setDelay(@Nullable String delay) {
            this.delay = delay;
        }

        public @Nullable Integer getMaxHedges() {
            return maxHedges;
        }

        public void setMaxHedges(@Nullable Integer maxHedges) {
            this.maxHedges = maxHedges;
        }
    }

    /** One entry of {@code retry.timeouts}. */
    public static class Timeout {

        /** The limit on each attempt, such as 500ms or 2s: more than zero. When unset, the default entry's value, itself 1s. */
        private @Nullable Duration duration;

        /** Whether a synchronous attempt's thread is interrupted at the deadline. When unset, the default entry's value, itself true. */
        private @Nullable Boolean interrupt;

        public @Nullable Duration getDuration() {
            return duration;
        }

        public void setDuration(@Nullable Duration duration) {
            this.duration = duration;
        }

        public @Nullable Boolean getInterrupt() {
            return interrupt;
        }

        public void setInterrupt(@Nullable Boolean interrupt) {
            this.interrupt = interrupt;
        }
    }

    /** One entry of {@code retry.bulkheads}. */
    public static class Bulkhead {

        /** Calls that may run at once: a whole number of at least 1. When unset, the default entry's value, itself 25. */
        private @Nullable Integer maxConcurrentCalls;

        /** How long a call may wait for a permit: zero or more; 0 (the default)
         * refuses at once. When unset, the default entry's value.
         */
        private @Nullable Duration maxWait;

        public @Nullable Integer getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public @Nullable Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(@Nullable Duration maxWait) {
            this.maxWait = maxWait;
        }
    }
}
