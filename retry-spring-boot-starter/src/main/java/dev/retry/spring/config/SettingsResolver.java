package dev.retry.spring.config;

import dev.retry.core.Backoff;
import dev.retry.core.BulkheadConfig;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.BulkheadPolicyBuilder;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerConfig.WindowType;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerPolicyBuilder;
import dev.retry.core.HedgeConfig;
import dev.retry.core.HedgePolicy;
import dev.retry.core.HedgePolicyBuilder;
import dev.retry.core.Jitter;
import dev.retry.core.RetryConfig;
import dev.retry.core.RetryPolicy;
import dev.retry.core.RetryPolicyBuilder;
import dev.retry.core.TimeoutConfig;
import dev.retry.core.TimeoutPolicy;
import dev.retry.core.TimeoutPolicyBuilder;
import dev.retry.spring.config.EntryFeed.Kind;
import dev.retry.spring.config.RetryProperties.Adaptive;
import dev.retry.spring.config.RetryProperties.Budget;
import dev.retry.spring.config.RetryProperties.Bulkhead;
import dev.retry.spring.config.RetryProperties.CircuitBreaker;
import dev.retry.spring.config.RetryProperties.Hedge;
import dev.retry.spring.config.RetryProperties.Policy;
import dev.retry.spring.config.RetryProperties.Timeout;
import dev.retry.spring.config.Setting.Lookup;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.support.DefaultConversionService;

/**
 * Resolves {@link RetryProperties} into {@link RetrySettings}: each key of each entry from the entry,
 * else from its section's {@code default} entry, else left to the core builder's own default; each
 * value parsed and fed to the builder, which checks it and the options against each other. Every
 * problem is collected before anything fails, each under the path where it was written.
 *
 * <p>Nothing about what a value may be is written here: the core builders own every allowed range,
 * default and cross-key rule. What only the starter reads (exception class names, HTTP statuses)
 * is checked by {@link ValueReader}.
 */
final class SettingsResolver {

    /** Retried statuses: timeouts, too early, too many requests, and server errors worth a second try. */
    static final List<Integer> RETRY_ON_STATUS = List.of(408, 425, 429, 500, 502, 503, 504);

    /**
     * The bounds of a percentile hedge delay, which the YAML does not expose yet: at least a
     * millisecond, at most ten seconds.
     */
    static final Duration MIN_ADAPTIVE_HEDGE_DELAY = Duration.ofMillis(1);

    static final Duration MAX_ADAPTIVE_HEDGE_DELAY = Duration.ofSeconds(10);

    private static final String HEDGE_DELAY =
            "a duration of zero or more, such as 100ms or 2s, or a percentile of observed latency from p50 to p99.9";

    private final ValueReader reader;
    private final RetryPropertiesBinder.WrittenText written;
    private final Map<String, List<Integer>> retryOnStatus = new LinkedHashMap<>();
    private final Map<String, List<Integer>> recordOnStatus = new LinkedHashMap<>();
    private boolean healthDownWhenOpen;

    /** @param written what the user wrote under each path, and which of it could not be converted */
    SettingsResolver(@Nullable ClassLoader classLoader, RetryPropertiesBinder.WrittenText written) {
        this.reader = new ValueReader(classLoader);
        this.written = written;
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
        Map<String, RetryConfig> policies =
                section("retry.policies", properties.getPolicies(), Policy::new, this::policy);
        Map<String, CircuitBreakerConfig> circuitBreakers = section(
                "retry.circuit-breakers", properties.getCircuitBreakers(), CircuitBreaker::new, this::circuitBreaker);
        Map<String, HedgeConfig> hedges = section("retry.hedges", properties.getHedges(), Hedge::new, this::hedge);
        Map<String, TimeoutConfig> timeouts =
                section("retry.timeouts", properties.getTimeouts(), Timeout::new, this::timeout);
        Map<String, BulkheadConfig> bulkheads =
                section("retry.bulkheads", properties.getBulkheads(), Bulkhead::new, this::bulkhead);
        String mode = mode(properties.getMode());
        if (!reader.problems().isEmpty() || !unknownKeys.isEmpty()) {
            throw new InvalidRetryConfigurationException(reader.problems(), unknownKeys);
        }
        return new RetrySettings(
                properties.isStrictNames(),
                mode,
                policies,
                Collections.unmodifiableMap(retryOnStatus),
                circuitBreakers,
                Collections.unmodifiableMap(recordOnStatus),
                hedges,
                timeouts,
                bulkheads,
                healthDownWhenOpen);
    }

    /**
     * {@code retry.health.down-when-open}, read from the environment as a boolean and kept with the
     * settings, so that the health contributor follows a change while running that was accepted, and
     * keeps the last good value when one is refused.
     */
    void checkHealthDownWhenOpen(@Nullable String text) {
        if (text == null) {
            return;
        }
        Boolean value = null;
        try {
            value = DefaultConversionService.getSharedInstance().convert(text, Boolean.class);
        } catch (ConversionException notABoolean) {
            // reported below
        }
        if (value == null) {
            reader.report(RetrySettings.HEALTH_DOWN_WHEN_OPEN, text, "true or false");
        } else {
            healthDownWhenOpen = value;
        }
    }

    /**
     * {@code retry.mode} in lower case, {@code proxy} when blank, as the start-up's own check reads
     * it; a value that names neither is reported in that check's words, here too so that a change
     * while running is refused like the start-up. Whether {@code retry-aspectj} is there is the
     * start-up's to check.
     */
    private String mode(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return RetrySettings.PROXY;
        }
        Mode mode = EnumNames.parse(text, Mode.class);
        if (mode == null) {
            reader.report("retry.mode", text, RetrySettings.PROXY + " or " + RetrySettings.ASPECTJ);
            return text;
        }
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code retry.mode}'s values, read by {@link EnumNames} as the start-up's {@code RetryMode} is
     * (which lives with the auto-configuration, beyond this package's reach).
     */
    private enum Mode {
        PROXY,
        ASPECTJ
    }

    /**
     * Resolves one section, its {@code default} entry first and always, whether written or not. An
     * entry with a bad value resolves to {@code null}; the caller fails before anyone sees it.
     */
    private <E, R> Map<String, R> section(
            String path,
            Map<String, E> entries,
            Supplier<E> unwritten,
            BiFunction<String, Lookup<E>, @Nullable R> resolveEntry) {
        Map<String, R> resolved = new LinkedHashMap<>();
        E writtenDefaults = entries.get(RetrySettings.DEFAULT);
        // An entry none of whose values Spring could convert is missing from the map, but was written.
        boolean defaultsWritten = writtenDefaults != null
                || written.entriesWithUnconvertibleValues(path).contains(RetrySettings.DEFAULT);
        E defaultEntry = writtenDefaults != null ? writtenDefaults : unwritten.get();
        E defaults = defaultsWritten ? defaultEntry : null;
        resolved.put(
                RetrySettings.DEFAULT,
                resolveEntry.apply(
                        RetrySettings.DEFAULT, new Lookup<>(path, RetrySettings.DEFAULT, defaultEntry, null, written)));
        Map<String, E> all = new LinkedHashMap<>(entries);
        for (String name : written.entriesWithUnconvertibleValues(path)) {
            all.putIfAbsent(name, unwritten.get());
        }
        all.forEach((name, entry) -> {
            if (!RetrySettings.DEFAULT.equals(name)) {
                resolved.put(name, resolveEntry.apply(name, new Lookup<>(path, name, entry, defaults, written)));
            }
        });
        return Collections.unmodifiableMap(resolved);
    }

    private @Nullable RetryConfig policy(String name, Lookup<Policy> keys) {
        EntryFeed<Policy, RetryPolicyBuilder> feed =
                new EntryFeed<>(reader, keys, () -> RetryPolicy.builder().name(name));
        feed.set("max-attempts", "maxAttempts", Policy::getMaxAttempts, Kind.WHOLE, RetryPolicyBuilder::maxAttempts);
        feed.set("backoff", "backoff", Policy::getBackoff, Kind.choice(Backoff.class), RetryPolicyBuilder::backoff);
        feed.set("delay", "delay", Policy::getDelay, Kind.DURATION, RetryPolicyBuilder::delay);
        feed.set("multiplier", "multiplier", Policy::getMultiplier, Kind.NUMBER, RetryPolicyBuilder::multiplier);
        feed.set("max-delay", "maxDelay", Policy::getMaxDelay, Kind.DURATION, RetryPolicyBuilder::maxDelay);
        feed.set("jitter", "jitter", Policy::getJitter, Kind.choice(Jitter.class), RetryPolicyBuilder::jitter);
        feed.set("max-duration", "maxDuration", Policy::getMaxDuration, Kind.DURATION, RetryPolicyBuilder::maxDuration);
        List<Class<? extends Throwable>> retryOn =
                reader.throwables(feed.setting("retry-on", "retryOn", Policy::getRetryOn));
        if (retryOn != null && !retryOn.isEmpty()) {
            feed.builder().retryOn(array(retryOn));
        }
        List<Class<? extends Throwable>> abortOn =
                reader.throwables(feed.setting("abort-on", "abortOn", Policy::getAbortOn));
        if (abortOn != null && !abortOn.isEmpty()) {
            feed.builder().abortOn(array(abortOn));
        }
        List<Integer> statuses = reader.statuses(
                feed.setting("retry-on-status", "retryOnStatus", Policy::getRetryOnStatus), RETRY_ON_STATUS);
        budget(feed);
        Integer minAttemptsWhileOff = adaptive(feed);
        RetryConfig config = feed.build(RetryPolicyBuilder::buildConfig);
        if (config != null && minAttemptsWhileOff != null) {
            // Checked even while off, so that turning adaptation on later cannot reveal a bad value.
            RetryConfig off = config;
            if (feed.build(builder -> RetryPolicy.builder(off)
                            .adaptive(minAttemptsWhileOff)
                            .buildConfig())
                    == null) {
                return null;
            }
        }
        if (config != null && statuses != null) {
            retryOnStatus.put(name, statuses);
        }
        return config;
    }

    /** {@code budget.ratio} and {@code budget.min-retries-per-second}, which the builder takes together. */
    private static void budget(EntryFeed<Policy, RetryPolicyBuilder> feed) {
        Setting<Double> ratioSetting =
                feed.setting("budget.ratio", "budget.ratio", nested(Policy::getBudget, Budget::getRatio));
        Setting<Integer> minSetting = feed.setting(
                "budget.min-retries-per-second",
                "budget.minRetriesPerSecond",
                nested(Policy::getBudget, Budget::getMinRetriesPerSecond));
        RetryConfig defaults = RetryConfig.defaults();
        Double ratio = feed.read(ratioSetting, Kind.NUMBER, (builder, value) -> builder.budget(value, 0));
        Integer min = feed.read(minSetting, Kind.WHOLE, (builder, value) -> builder.budget(0, value));
        if ((ratioSetting.written() && ratio == null)
                || (minSetting.written() && min == null)
                || (!ratioSetting.written() && !minSetting.written())) {
            return;
        }
        double ratioValue = ratio != null ? ratio : defaults.budgetRatio();
        int minValue = min != null ? min : defaults.budgetMinRetriesPerSecond();
        feed.apply(() -> feed.builder().budget(ratioValue, minValue));
    }

    /**
     * {@code adaptive.enabled} and {@code adaptive.min-attempts}.
     *
     * @return a sound {@code min-attempts} written while adaptation is off, to be checked against
     *     {@code max-attempts} all the same; otherwise {@code null}
     */
    private static @Nullable Integer adaptive(EntryFeed<Policy, RetryPolicyBuilder> feed) {
        Setting<Boolean> enabledSetting =
                feed.setting("adaptive.enabled", "adaptive.enabled", nested(Policy::getAdaptive, Adaptive::getEnabled));
        Boolean enabled = feed.read(enabledSetting, Kind.BOOLEAN, (builder, value) -> {});
        Setting<Integer> minSetting = feed.setting(
                "adaptive.min-attempts", "adaptive.minAttempts", nested(Policy::getAdaptive, Adaptive::getMinAttempts));
        Integer min = feed.read(minSetting, Kind.WHOLE, RetryPolicyBuilder::adaptive);
        if (Boolean.TRUE.equals(enabled) && (min != null || !minSetting.written())) {
            int minValue = min != null ? min : RetryConfig.defaults().adaptiveMinAttempts();
            feed.apply(minSetting, Kind.WHOLE, () -> feed.builder().adaptive(minValue));
            return null;
        }
        if (min != null) {
            feed.apply(minSetting, Kind.WHOLE, () -> RetryPolicy.builder().adaptive(min));
        }
        return min;
    }

    private @Nullable CircuitBreakerConfig circuitBreaker(String name, Lookup<CircuitBreaker> keys) {
        EntryFeed<CircuitBreaker, CircuitBreakerPolicyBuilder> feed = new EntryFeed<>(
                reader, keys, () -> CircuitBreakerPolicy.builder().name(name));
        Setting<WindowType> windowSetting = feed.setting("window", "window", CircuitBreaker::getWindow);
        WindowType window = feed.read(windowSetting, Kind.choice(WindowType.class), (builder, type) -> {});
        WindowType type =
                window != null ? window : CircuitBreakerConfig.defaults().windowType();
        Setting<Integer> sizeSetting = feed.setting("window-size", "windowSize", CircuitBreaker::getWindowSize);
        Integer size = feed.read(sizeSetting, Kind.WHOLE, (builder, value) -> window(builder, type, value));
        boolean unreadable = (windowSetting.written() && window == null) || (sizeSetting.written() && size == null);
        if (!unreadable && (windowSetting.written() || sizeSetting.written())) {
            int sizeValue =
                    size != null ? size : CircuitBreakerConfig.defaults().windowSize();
            feed.apply(sizeSetting, Kind.WHOLE, () -> window(feed.builder(), type, sizeValue));
        }
        feed.set(
                "minimum-calls",
                "minimumCalls",
                CircuitBreaker::getMinimumCalls,
                Kind.WHOLE,
                CircuitBreakerPolicyBuilder::minimumCalls);
        feed.set(
                "failure-rate-threshold",
                "failureRateThreshold",
                CircuitBreaker::getFailureRateThreshold,
                Kind.PERCENT,
                CircuitBreakerPolicyBuilder::failureRateThreshold);
        feed.set(
                "slow-call-duration",
                "slowCallDuration",
                CircuitBreaker::getSlowCallDuration,
                Kind.DURATION,
                CircuitBreakerPolicyBuilder::slowCallDuration);
        feed.set(
                "slow-call-rate-threshold",
                "slowCallRateThreshold",
                CircuitBreaker::getSlowCallRateThreshold,
                Kind.PERCENT,
                CircuitBreakerPolicyBuilder::slowCallRateThreshold);
        feed.set(
                "open-duration",
                "openDuration",
                CircuitBreaker::getOpenDuration,
                Kind.DURATION,
                CircuitBreakerPolicyBuilder::openDuration);
        feed.set(
                "half-open-calls",
                "halfOpenCalls",
                CircuitBreaker::getHalfOpenCalls,
                Kind.WHOLE,
                CircuitBreakerPolicyBuilder::halfOpenCalls);
        List<Class<? extends Throwable>> recordOn =
                reader.throwables(feed.setting("record-on", "recordOn", CircuitBreaker::getRecordOn));
        if (recordOn != null && !recordOn.isEmpty()) {
            feed.builder().recordOn(array(recordOn));
        }
        List<Class<? extends Throwable>> ignoreOn =
                reader.throwables(feed.setting("ignore-on", "ignoreOn", CircuitBreaker::getIgnoreOn));
        if (ignoreOn != null && !ignoreOn.isEmpty()) {
            feed.builder().ignoreOn(array(ignoreOn));
        }
        List<Integer> statuses = reader.statuses(
                feed.setting("record-on-status", "recordOnStatus", CircuitBreaker::getRecordOnStatus), RETRY_ON_STATUS);
        CircuitBreakerConfig config = feed.build(CircuitBreakerPolicyBuilder::buildConfig);
        if (config != null && statuses != null) {
            recordOnStatus.put(name, statuses);
        }
        return config;
    }

    private static void window(CircuitBreakerPolicyBuilder builder, WindowType type, int size) {
        if (type == WindowType.TIME) {
            builder.timeWindow(size);
        } else {
            builder.countWindow(size);
        }
    }

    private @Nullable HedgeConfig hedge(String name, Lookup<Hedge> keys) {
        EntryFeed<Hedge, HedgePolicyBuilder> feed =
                new EntryFeed<>(reader, keys, () -> HedgePolicy.builder().name(name));
        Setting<String> delay = feed.setting("delay", "delay", Hedge::getDelay);
        feed.setting("delay", "delayPercentile", Hedge::getDelay);
        if (delay.value() != null && !hedgeDelay(feed.builder(), delay.value())) {
            reader.report(delay.path(), delay.value(), HEDGE_DELAY);
        }
        feed.set("max-hedges", "maxHedges", Hedge::getMaxHedges, Kind.WHOLE, HedgePolicyBuilder::maxHedges);
        return feed.build(HedgePolicyBuilder::buildConfig);
    }

    /**
     * Sets a hedge's delay as YAML and annotations write it: a duration such as {@code 150ms}, or a
     * percentile of observed latency such as {@code p95}.
     *
     * @return whether {@code text} was a delay the builder accepted
     */
    static boolean hedgeDelay(HedgePolicyBuilder builder, String text) {
        try {
            Double percentile = ValueReader.percentile(text);
            if (percentile != null) {
                builder.delayPercentile(percentile, MIN_ADAPTIVE_HEDGE_DELAY, MAX_ADAPTIVE_HEDGE_DELAY);
                return true;
            }
            Duration duration = ValueReader.duration(text);
            if (duration != null) {
                builder.delay(duration);
                return true;
            }
            return false;
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }

    private @Nullable TimeoutConfig timeout(String name, Lookup<Timeout> keys) {
        EntryFeed<Timeout, TimeoutPolicyBuilder> feed =
                new EntryFeed<>(reader, keys, () -> TimeoutPolicy.builder().name(name));
        feed.set("duration", "duration", Timeout::getDuration, Kind.DURATION, TimeoutPolicyBuilder::duration);
        feed.set("interrupt", "interrupt", Timeout::getInterrupt, Kind.BOOLEAN, TimeoutPolicyBuilder::interrupt);
        return feed.build(TimeoutPolicyBuilder::buildConfig);
    }

    private @Nullable BulkheadConfig bulkhead(String name, Lookup<Bulkhead> keys) {
        EntryFeed<Bulkhead, BulkheadPolicyBuilder> feed =
                new EntryFeed<>(reader, keys, () -> BulkheadPolicy.builder().name(name));
        feed.set(
                "max-concurrent-calls",
                "maxConcurrentCalls",
                Bulkhead::getMaxConcurrentCalls,
                Kind.WHOLE,
                BulkheadPolicyBuilder::maxConcurrentCalls);
        feed.set("max-wait", "maxWait", Bulkhead::getMaxWait, Kind.DURATION, BulkheadPolicyBuilder::maxWait);
        return feed.build(BulkheadPolicyBuilder::buildConfig);
    }

    @SuppressWarnings("unchecked")
    static Class<? extends Throwable>[] array(List<Class<? extends Throwable>> types) {
        return (Class<? extends Throwable>[]) types.toArray(new Class<?>[0]);
    }

    /** A key of a group inside an entry, such as {@code budget.ratio}. */
    private static <E, G, T> java.util.function.Function<E, @Nullable T> nested(
            java.util.function.Function<E, @Nullable G> group, java.util.function.Function<G, @Nullable T> key) {
        return entry -> {
            G value = group.apply(entry);
            return value != null ? key.apply(value) : null;
        };
    }
}
