package dev.retry.spring.config;

import dev.retry.core.BulkheadConfig;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.HedgeConfig;
import dev.retry.core.HedgePolicyBuilder;
import dev.retry.core.RetryConfig;
import dev.retry.core.TimeoutConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The {@code retry.*} configuration resolved and checked: for each section, every entry by name as
 * the core's own configuration type, each key taken from the entry, its section's {@code default}
 * entry or the core builder's built-in default, in that order.
 *
 * <p>Built once at start-up, from which every bad value fails the start-up with an {@link
 * InvalidRetryConfigurationException}; immutable afterwards. Every section has a {@value #DEFAULT}
 * entry, written or not.
 */
public final class RetrySettings {

    /** The name of each section's base entry, and of the entry an annotation without a name uses. */
    public static final String DEFAULT = "default";

    /** {@code retry.mode}'s two values, as {@link #mode()} gives them. */
    static final String PROXY = "proxy";

    static final String ASPECTJ = "aspectj";

    /** Read from the environment rather than bound (it is not under a section), and checked here with the rest. */
    public static final String HEALTH_DOWN_WHEN_OPEN = "retry.health.down-when-open";

    private static final org.apache.commons.logging.Log LOG =
            org.apache.commons.logging.LogFactory.getLog(RetrySettings.class);

    private final boolean strictNames;
    private final String mode;
    private final Map<String, RetryConfig> policies;
    private final Map<String, List<Integer>> retryOnStatus;
    private final Map<String, CircuitBreakerConfig> circuitBreakers;
    private final Map<String, List<Integer>> recordOnStatus;
    private final Map<String, HedgeConfig> hedges;
    private final Map<String, TimeoutConfig> timeouts;
    private final Map<String, BulkheadConfig> bulkheads;
    private final boolean healthDownWhenOpen;

    /** Takes maps that are already unmodifiable and keep the order the entries were written in. */
    RetrySettings(
            boolean strictNames,
            String mode,
            Map<String, RetryConfig> policies,
            Map<String, List<Integer>> retryOnStatus,
            Map<String, CircuitBreakerConfig> circuitBreakers,
            Map<String, List<Integer>> recordOnStatus,
            Map<String, HedgeConfig> hedges,
            Map<String, TimeoutConfig> timeouts,
            Map<String, BulkheadConfig> bulkheads,
            boolean healthDownWhenOpen) {
        this.strictNames = strictNames;
        this.mode = mode;
        this.policies = policies;
        this.retryOnStatus = retryOnStatus;
        this.circuitBreakers = circuitBreakers;
        this.recordOnStatus = recordOnStatus;
        this.hedges = hedges;
        this.timeouts = timeouts;
        this.bulkheads = bulkheads;
        this.healthDownWhenOpen = healthDownWhenOpen;
    }

    /**
     * Resolves and checks {@code properties}, loading the exception classes they name with {@code
     * classLoader}.
     *
     * @param classLoader where {@code retry-on}, {@code abort-on}, {@code record-on} and {@code
     *     ignore-on} classes are looked up; {@code null} for the default class loader
     * @throws InvalidRetryConfigurationException naming every bad value, its path and what is allowed
     */
    public static RetrySettings of(RetryProperties properties, @Nullable ClassLoader classLoader) {
        Objects.requireNonNull(properties, "properties");
        return resolver(classLoader, RetryPropertiesBinder.WrittenText.NONE).resolve(properties);
    }

    /**
     * Binds {@code retry.*} from {@code environment} and resolves and checks it as {@link
     * #of(RetryProperties, ClassLoader, Environment)} does. A value that cannot even be converted to
     * its key's type (a {@code max-attempts} of {@code three}) is reported with the others, in the
     * same words as a value out of range, rather than stopping the binding.
     *
     * @param classLoader where the exception classes named in the configuration are looked up;
     *     {@code null} for the default class loader
     * @throws InvalidRetryConfigurationException naming every bad value and every unknown key
     */
    public static RetrySettings bind(Environment environment, @Nullable ClassLoader classLoader) {
        Objects.requireNonNull(environment, "environment");
        RetryPropertiesBinder.Bound bound;
        try {
            bound = RetryPropertiesBinder.bind(Binder.get(environment));
        } catch (BindException unbound) {
            // What Boot binds itself (strict-names, a single value where a group belongs) is refused
            // like any other bad value, so that a change while running reads as the start-up does.
            InvalidRetryConfigurationException.Problem problem =
                    RetryConfigurationFailureAnalyzer.problemOf(unbound, environment);
            if (problem == null) {
                throw unbound;
            }
            InvalidRetryConfigurationException invalid = new InvalidRetryConfigurationException(List.of(problem));
            invalid.initCause(unbound);
            throw invalid;
        }
        return of(bound.properties(), classLoader, environment, bound.text());
    }

    /**
     * Resolves and checks {@code properties} as {@link #of(RetryProperties, ClassLoader)} does and,
     * unless {@code retry.fail-on-unknown-keys} is false, refuses every key written under {@code
     * retry} in {@code environment} that retry does not read (environment variables aside), together
     * with any bad value.
     *
     * @throws InvalidRetryConfigurationException naming every bad value and every unknown key
     */
    public static RetrySettings of(
            RetryProperties properties, @Nullable ClassLoader classLoader, Environment environment) {
        return of(properties, classLoader, environment, RetryPropertiesBinder.WrittenText.NONE);
    }

    private static RetrySettings of(
            RetryProperties properties,
            @Nullable ClassLoader classLoader,
            Environment environment,
            RetryPropertiesBinder.WrittenText written) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(environment, "environment");
        List<InvalidRetryConfigurationException.UnknownKey> refused = new java.util.ArrayList<>();
        if (properties.isFailOnUnknownKeys()) {
            for (InvalidRetryConfigurationException.UnknownKey key : UnknownKeys.in(environment)) {
                if (UnknownKeys.isStray(key)) {
                    // -Dretry.version=1.2.3 picks a Maven dependency's version and reaches the tests as a
                    // system property: a key directly under retry that resembles nothing retry reads is
                    // more likely somebody else's than a slip, so it is worth a warning, not a failure.
                    LOG.warn(InvalidRetryConfigurationException.PREFIX + key.describe());
                } else {
                    refused.add(key);
                }
            }
        }
        SettingsResolver resolver = resolver(classLoader, written);
        resolver.checkHealthDownWhenOpen(environment.getProperty(HEALTH_DOWN_WHEN_OPEN));
        return resolver.resolve(properties, refused);
    }

    private static SettingsResolver resolver(
            @Nullable ClassLoader classLoader, RetryPropertiesBinder.WrittenText written) {
        return new SettingsResolver(classLoader != null ? classLoader : ClassUtils.getDefaultClassLoader(), written);
    }

    /**
     * Resolves and checks {@code properties} with the default class loader.
     *
     * @throws InvalidRetryConfigurationException naming every bad value, its path and what is allowed
     */
    public static RetrySettings of(RetryProperties properties) {
        return of(properties, null);
    }

    /**
     * Reads a duration as YAML and annotations write it ({@code 100ms}, {@code 2s}, {@code PT0.5S}).
     *
     * @return the duration, or {@code null} when {@code text} is none; whether it is allowed is the
     *     builder's to say
     */
    public static @Nullable Duration duration(String text) {
        return ValueReader.duration(text);
    }

    /**
     * Sets a hedge's delay as YAML and annotations write it: a duration such as {@code 150ms}, or a
     * percentile of observed latency such as {@code p95}.
     *
     * @return whether {@code text} was a delay that the builder accepted
     */
    public static boolean hedgeDelay(HedgePolicyBuilder builder, String text) {
        return SettingsResolver.hedgeDelay(builder, text);
    }

    /** The built-in defaults alone: every section with only its {@value #DEFAULT} entry. */
    public static RetrySettings defaults() {
        return of(new RetryProperties());
    }

    /**
     * {@code retry.strict-names}: whether an annotation that names an unconfigured entry fails the
     * start-up (true) or falls back to the section's {@value #DEFAULT} entry (false).
     */
    public boolean strictNames() {
        return strictNames;
    }

    /**
     * {@code retry.mode} in lower case: {@code proxy} or {@code aspectj}. Settled at start-up, since
     * it decides whether the beans are proxied, so a change while running must keep it.
     */
    public String mode() {
        return mode;
    }

    /**
     * {@value #HEALTH_DOWN_WHEN_OPEN}: whether the {@code circuitBreakers} health contributor reports
     * DOWN while a breaker is open or forced open; false unless the environment it was bound from says
     * true.
     */
    public boolean healthDownWhenOpen() {
        return healthDownWhenOpen;
    }

    /** The policy {@code retry.policies.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<RetryConfig> policy(String name) {
        return Optional.ofNullable(policies.get(name));
    }

    /** Every retry policy by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, RetryConfig> policies() {
        return policies;
    }

    /**
     * {@code retry.policies.<name>.retry-on-status}: the HTTP statuses of Spring's HTTP client errors
     * that the policy retries, when spring-web is present. The contract's list for a name that is
     * not configured.
     */
    public List<Integer> retryOnStatus(String name) {
        return retryOnStatus.getOrDefault(name, retryOnStatus.getOrDefault(DEFAULT, SettingsResolver.RETRY_ON_STATUS));
    }

    /** The breaker {@code retry.circuit-breakers.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<CircuitBreakerConfig> circuitBreaker(String name) {
        return Optional.ofNullable(circuitBreakers.get(name));
    }

    /** Every circuit breaker by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, CircuitBreakerConfig> circuitBreakers() {
        return circuitBreakers;
    }

    /**
     * {@code retry.circuit-breakers.<name>.record-on-status}: the HTTP statuses of Spring's HTTP
     * client errors that the breaker counts as failures, when spring-web is present; the {@code
     * default} entry's for a name that is not configured.
     */
    public List<Integer> recordOnStatus(String name) {
        return recordOnStatus.getOrDefault(
                name, recordOnStatus.getOrDefault(DEFAULT, SettingsResolver.RETRY_ON_STATUS));
    }

    /** The hedge {@code retry.hedges.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<HedgeConfig> hedge(String name) {
        return Optional.ofNullable(hedges.get(name));
    }

    /** Every hedging policy by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, HedgeConfig> hedges() {
        return hedges;
    }

    /** The timeout {@code retry.timeouts.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<TimeoutConfig> timeout(String name) {
        return Optional.ofNullable(timeouts.get(name));
    }

    /** Every timeout by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, TimeoutConfig> timeouts() {
        return timeouts;
    }

    /** The bulkhead {@code retry.bulkheads.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<BulkheadConfig> bulkhead(String name) {
        return Optional.ofNullable(bulkheads.get(name));
    }

    /** Every bulkhead by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, BulkheadConfig> bulkheads() {
        return bulkheads;
    }

    @Override
    public String toString() {
        return "RetrySettings[strictNames=" + strictNames + ", policies=" + policies.keySet()
                + ", circuitBreakers=" + circuitBreakers.keySet() + ", hedges=" + hedges.keySet()
                + ", timeouts=" + timeouts.keySet() + ", bulkheads=" + bulkheads.keySet() + "]";
    }
}
