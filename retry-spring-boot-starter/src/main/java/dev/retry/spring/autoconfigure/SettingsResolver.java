package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.retry.core.Backoff;
import dev.retry.core.CircuitBreakerConfig.WindowType;
import dev.retry.core.Jitter;
import dev.retry.spring.autoconfigure.RetryProperties.Bulkhead;
import dev.retry.spring.autoconfigure.RetryProperties.CircuitBreaker;
import dev.retry.spring.autoconfigure.RetryProperties.Hedge;
import dev.retry.spring.autoconfigure.RetryProperties.Policy;
import dev.retry.spring.autoconfigure.RetryProperties.Timeout;
import dev.retry.spring.autoconfigure.Setting.Lookup;
import dev.retry.spring.autoconfigure.Setting.Origin;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@link RetryProperties} into {@link RetrySettings}: each key of each entry from the entry,
 * else from its section's {@code default} entry, else from the built-in default; each value read and
 * checked; then the checks that compare two keys. Every problem is collected before anything fails.
 *
 * <p>The built-in defaults are written here as a user would write them in YAML (the contract's
 * {@code default} block) and read by the same code as the user's values, so there is one notation and
 * one set of checks.
 */
final class SettingsResolver {

    private static final List<String> NO_TYPES = List.of();

    /** Retried statuses: timeouts, too early, too many requests, and server errors worth a second try. */
    private static final List<String> RETRY_ON_STATUS = List.of("408", "425", "429", "500", "502", "503", "504");

    /** The core's largest window; a bigger one would fail later, when the breaker is built. */
    private static final int MAX_WINDOW_SIZE = 1_000_000;

    private final ValueReader reader;

    SettingsResolver(@Nullable ClassLoader classLoader) {
        this.reader = new ValueReader(classLoader);
    }

    /**
     * @throws InvalidRetryConfigurationException naming every bad value
     */
    RetrySettings resolve(RetryProperties properties) {
        return resolve(properties, List.of());
    }

    /**
     * @param unknownKeys keys written under {@code retry} that it does not read, refused together with
     *     any bad value
     * @throws InvalidRetryConfigurationException naming every bad value and unknown key
     */
    RetrySettings resolve(RetryProperties properties, List<InvalidRetryConfigurationException.UnknownKey> unknownKeys) {
        Map<String, EffectiveRetryPolicy> policies =
                section("retry.policies", properties.getPolicies(), Policy::new, this::policy);
        Map<String, EffectiveCircuitBreaker> circuitBreakers =
                section("retry.circuit-breakers", properties.getCircuitBreakers(), CircuitBreaker::new, this::circuitBreaker);
        Map<String, EffectiveHedge> hedges = section("retry.hedges", properties.getHedges(), Hedge::new, this::hedge);
        Map<String, EffectiveTimeout> timeouts =
                section("retry.timeouts", properties.getTimeouts(), Timeout::new, this::timeout);
        Map<String, EffectiveBulkhead> bulkheads =
                section("retry.bulkheads", properties.getBulkheads(), Bulkhead::new, this::bulkhead);
        if (!reader.problems().isEmpty() || !unknownKeys.isEmpty()) {
            throw new InvalidRetryConfigurationException(reader.problems(), unknownKeys);
        }
        return new RetrySettings(properties.isStrictNames(), policies, circuitBreakers, hedges, timeouts, bulkheads);
    }

    /**
     * Resolves one section, its {@code default} entry first and always, whether written or not. An
     * entry with a bad value resolves to {@code null}; the caller fails before anyone sees it.
     */
    private <E, R> Map<String, R> section(String path, Map<String, E> entries, Supplier<E> unwritten,
            BiFunction<String, Lookup<E>, @Nullable R> resolveEntry) {
        Map<String, R> resolved = new LinkedHashMap<>();
        E defaults = entries.get(RetrySettings.DEFAULT);
        E defaultEntry = defaults != null ? defaults : unwritten.get();
        resolved.put(RetrySettings.DEFAULT,
                resolveEntry.apply(RetrySettings.DEFAULT, new Lookup<>(path, RetrySettings.DEFAULT, defaultEntry, null)));
        entries.forEach((name, entry) -> {
            if (!RetrySettings.DEFAULT.equals(name)) {
                resolved.put(name, resolveEntry.apply(name, new Lookup<>(path, name, entry, defaults)));
            }
        });
        return Collections.unmodifiableMap(resolved);
    }

    private @Nullable EffectiveRetryPolicy policy(String name, Lookup<Policy> keys) {
        int reportsBefore = reader.reports();
        Setting<String> maxAttemptsSetting = keys.get("max-attempts", Policy::getMaxAttempts, "3");
        Integer maxAttempts = reader.wholeNumber(maxAttemptsSetting, 1, Integer.MAX_VALUE);
        Backoff backoff = reader.choice(keys.get("backoff", Policy::getBackoff, "exponential"), Backoff.class);
        Setting<String> delaySetting = keys.get("delay", Policy::getDelay, "100ms");
        Duration delay = reader.duration(delaySetting, true);
        Double multiplier = reader.number(keys.get("multiplier", Policy::getMultiplier, "2.0"),
                1.0, false, Double.MAX_VALUE, "a number of at least 1.0");
        Setting<String> maxDelaySetting = keys.get("max-delay", Policy::getMaxDelay, "10s");
        Duration maxDelay = reader.duration(maxDelaySetting, true);
        Jitter jitter = reader.choice(keys.get("jitter", Policy::getJitter, "full"), Jitter.class);
        Duration maxDuration = reader.duration(keys.get("max-duration", Policy::getMaxDuration, "0s"), true);
        List<Class<? extends Throwable>> retryOn = reader.throwables(keys.get("retry-on", Policy::getRetryOn, NO_TYPES));
        List<Class<? extends Throwable>> abortOn = reader.throwables(keys.get("abort-on", Policy::getAbortOn, NO_TYPES));
        List<Integer> retryOnStatus =
                reader.statuses(keys.get("retry-on-status", Policy::getRetryOnStatus, RETRY_ON_STATUS));
        Double ratio = reader.number(keys.get("budget.ratio", budget(RetryProperties.Budget::getRatio), "0.0"),
                0.0, false, Double.MAX_VALUE, "a number of at least 0");
        Integer minRetriesPerSecond = reader.wholeNumber(keys.get("budget.min-retries-per-second",
                budget(RetryProperties.Budget::getMinRetriesPerSecond), "10"), 0, Integer.MAX_VALUE);
        Boolean adaptiveEnabled = reader.bool(keys.get("adaptive.enabled", adaptive(RetryProperties.Adaptive::getEnabled), "false"));
        Setting<String> minAttemptsSetting =
                keys.get("adaptive.min-attempts", adaptive(RetryProperties.Adaptive::getMinAttempts), "1");
        Integer minAttempts = reader.wholeNumber(minAttemptsSetting, 1, Integer.MAX_VALUE);
        if (reader.reports() != reportsBefore) {
            return null;
        }
        // Like the core, an unwritten cap grows to a longer delay rather than refusing it: someone who
        // writes "delay: 20s" alone means 20 s, not a configuration error.
        if (maxDelaySetting.origin() == Origin.BUILT_IN && delay.compareTo(maxDelay) > 0) {
            maxDelay = delay;
        }
        if (delay.compareTo(maxDelay) > 0) {
            conflict(maxDelaySetting, "a duration of at least delay, " + delaySetting.describe(),
                    delaySetting, "a duration of zero or more and at most max-delay, " + maxDelaySetting.describe());
        }
        if (minAttempts > maxAttempts) {
            conflict(minAttemptsSetting, "a whole number from 1 to max-attempts, " + maxAttemptsSetting.describe(),
                    maxAttemptsSetting, "a whole number of at least adaptive.min-attempts, " + minAttemptsSetting.describe());
        }
        if (reader.reports() != reportsBefore) {
            return null;
        }
        return new EffectiveRetryPolicy(name, maxAttempts, backoff, delay, multiplier, maxDelay, jitter, maxDuration,
                retryOn, abortOn, retryOnStatus, new EffectiveRetryPolicy.Budget(ratio, minRetriesPerSecond),
                new EffectiveRetryPolicy.Adaptive(adaptiveEnabled, minAttempts));
    }

    private @Nullable EffectiveCircuitBreaker circuitBreaker(String name, Lookup<CircuitBreaker> keys) {
        int reportsBefore = reader.reports();
        WindowType window = reader.choice(keys.get("window", CircuitBreaker::getWindow, "count"), WindowType.class);
        Integer windowSize = reader.wholeNumber(keys.get("window-size", CircuitBreaker::getWindowSize, "100"),
                1, MAX_WINDOW_SIZE);
        Integer minimumCalls = reader.wholeNumber(keys.get("minimum-calls", CircuitBreaker::getMinimumCalls, "20"),
                1, Integer.MAX_VALUE);
        Float failureRateThreshold = reader.percentage(
                keys.get("failure-rate-threshold", CircuitBreaker::getFailureRateThreshold, "50"));
        Duration slowCallDuration =
                reader.duration(keys.get("slow-call-duration", CircuitBreaker::getSlowCallDuration, "60s"), false);
        Float slowCallRateThreshold = reader.percentage(
                keys.get("slow-call-rate-threshold", CircuitBreaker::getSlowCallRateThreshold, "100"));
        Duration openDuration = reader.duration(keys.get("open-duration", CircuitBreaker::getOpenDuration, "30s"), false);
        Integer halfOpenCalls = reader.wholeNumber(keys.get("half-open-calls", CircuitBreaker::getHalfOpenCalls, "5"),
                1, Integer.MAX_VALUE);
        List<Class<? extends Throwable>> recordOn =
                reader.throwables(keys.get("record-on", CircuitBreaker::getRecordOn, NO_TYPES));
        List<Class<? extends Throwable>> ignoreOn =
                reader.throwables(keys.get("ignore-on", CircuitBreaker::getIgnoreOn, NO_TYPES));
        if (reader.reports() != reportsBefore) {
            return null;
        }
        return new EffectiveCircuitBreaker(name, window, windowSize, minimumCalls, failureRateThreshold,
                slowCallDuration, slowCallRateThreshold, openDuration, halfOpenCalls, recordOn, ignoreOn);
    }

    private @Nullable EffectiveHedge hedge(String name, Lookup<Hedge> keys) {
        int reportsBefore = reader.reports();
        HedgeDelay delay = reader.hedgeDelay(keys.get("delay", Hedge::getDelay, "100ms"));
        Integer maxHedges = reader.wholeNumber(keys.get("max-hedges", Hedge::getMaxHedges, "1"), 0, Integer.MAX_VALUE);
        if (reader.reports() != reportsBefore) {
            return null;
        }
        return new EffectiveHedge(name, delay, maxHedges);
    }

    private @Nullable EffectiveTimeout timeout(String name, Lookup<Timeout> keys) {
        int reportsBefore = reader.reports();
        Duration duration = reader.duration(keys.get("duration", Timeout::getDuration, "1s"), false);
        Boolean interrupt = reader.bool(keys.get("interrupt", Timeout::getInterrupt, "true"));
        if (reader.reports() != reportsBefore) {
            return null;
        }
        return new EffectiveTimeout(name, duration, interrupt);
    }

    private @Nullable EffectiveBulkhead bulkhead(String name, Lookup<Bulkhead> keys) {
        int reportsBefore = reader.reports();
        Integer maxConcurrentCalls = reader.wholeNumber(
                keys.get("max-concurrent-calls", Bulkhead::getMaxConcurrentCalls, "25"), 1, Integer.MAX_VALUE);
        Duration maxWait = reader.duration(keys.get("max-wait", Bulkhead::getMaxWait, "0s"), true);
        if (reader.reports() != reportsBefore) {
            return null;
        }
        return new EffectiveBulkhead(name, maxConcurrentCalls, maxWait);
    }

    /**
     * Reports two keys that contradict each other under the one the user wrote closer to the entry,
     * since that is the one that introduced the contradiction; under {@code first} when both were
     * written at the same level.
     */
    private void conflict(Setting<String> first, String firstAllowed, Setting<String> second, String secondAllowed) {
        if (second.moreSpecificThan(first)) {
            reader.report(second.path(), second.value(), secondAllowed);
        } else {
            reader.report(first.path(), first.value(), firstAllowed);
        }
    }

    private static Function<Policy, @Nullable String> budget(Function<RetryProperties.Budget, @Nullable String> key) {
        return policy -> policy.getBudget() != null ? key.apply(policy.getBudget()) : null;
    }

    private static Function<Policy, @Nullable String> adaptive(Function<RetryProperties.Adaptive, @Nullable String> key) {
        return policy -> policy.getAdaptive() != null ? key.apply(policy.getAdaptive()) : null;
    }
}
