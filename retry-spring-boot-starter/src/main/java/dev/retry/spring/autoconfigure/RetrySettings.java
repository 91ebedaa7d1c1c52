package dev.retry.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The {@code retry.*} configuration resolved and checked: for each section, every entry by name, each
 * with every key filled in from the entry, its section's {@code default} entry or the built-in
 * defaults, in that order.
 *
 * <p>Built once at start-up, from which every bad value fails the start-up with an {@link
 * InvalidRetryConfigurationException}; immutable afterwards. Every section has a {@value #DEFAULT}
 * entry, written or not.
 */
public final class RetrySettings {

    /** The name of each section's base entry, and of the entry an annotation without a name uses. */
    public static final String DEFAULT = "default";

    private final boolean strictNames;
    private final Map<String, EffectiveRetryPolicy> policies;
    private final Map<String, EffectiveCircuitBreaker> circuitBreakers;
    private final Map<String, EffectiveHedge> hedges;
    private final Map<String, EffectiveTimeout> timeouts;
    private final Map<String, EffectiveBulkhead> bulkheads;

    /** Takes maps that are already unmodifiable and keep the order the entries were written in. */
    RetrySettings(boolean strictNames, Map<String, EffectiveRetryPolicy> policies,
            Map<String, EffectiveCircuitBreaker> circuitBreakers, Map<String, EffectiveHedge> hedges,
            Map<String, EffectiveTimeout> timeouts, Map<String, EffectiveBulkhead> bulkheads) {
        this.strictNames = strictNames;
        this.policies = policies;
        this.circuitBreakers = circuitBreakers;
        this.hedges = hedges;
        this.timeouts = timeouts;
        this.bulkheads = bulkheads;
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
        return resolver(classLoader).resolve(properties);
    }

    /**
     * Resolves and checks {@code properties} as {@link #of(RetryProperties, ClassLoader)} does and,
     * unless {@code retry.fail-on-unknown-keys} is false, refuses every key written under {@code
     * retry} in {@code environment} that retry does not read (environment variables aside), together
     * with any bad value.
     *
     * @throws InvalidRetryConfigurationException naming every bad value and every unknown key
     */
    public static RetrySettings of(RetryProperties properties, @Nullable ClassLoader classLoader,
            Environment environment) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(environment, "environment");
        return resolver(classLoader)
                .resolve(properties, properties.isFailOnUnknownKeys() ? UnknownKeys.in(environment) : List.of());
    }

    private static SettingsResolver resolver(@Nullable ClassLoader classLoader) {
        return new SettingsResolver(classLoader != null ? classLoader : ClassUtils.getDefaultClassLoader());
    }

    /**
     * Resolves and checks {@code properties} with the default class loader.
     *
     * @throws InvalidRetryConfigurationException naming every bad value, its path and what is allowed
     */
    public static RetrySettings of(RetryProperties properties) {
        return of(properties, null);
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

    /** The policy {@code retry.policies.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<EffectiveRetryPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(name));
    }

    /** Every retry policy by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, EffectiveRetryPolicy> policies() {
        return policies;
    }

    /** The breaker {@code retry.circuit-breakers.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<EffectiveCircuitBreaker> circuitBreaker(String name) {
        return Optional.ofNullable(circuitBreakers.get(name));
    }

    /** Every circuit breaker by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, EffectiveCircuitBreaker> circuitBreakers() {
        return circuitBreakers;
    }

    /** The hedge {@code retry.hedges.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<EffectiveHedge> hedge(String name) {
        return Optional.ofNullable(hedges.get(name));
    }

    /** Every hedging policy by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, EffectiveHedge> hedges() {
        return hedges;
    }

    /** The timeout {@code retry.timeouts.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<EffectiveTimeout> timeout(String name) {
        return Optional.ofNullable(timeouts.get(name));
    }

    /** Every timeout by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, EffectiveTimeout> timeouts() {
        return timeouts;
    }

    /** The bulkhead {@code retry.bulkheads.<name>}, if configured; {@value #DEFAULT} always is. */
    public Optional<EffectiveBulkhead> bulkhead(String name) {
        return Optional.ofNullable(bulkheads.get(name));
    }

    /** Every bulkhead by name, {@value #DEFAULT} first, then as written; unmodifiable. */
    public Map<String, EffectiveBulkhead> bulkheads() {
        return bulkheads;
    }

    @Override
    public String toString() {
        return "RetrySettings[strictNames=" + strictNames + ", policies=" + policies.keySet()
                + ", circuitBreakers=" + circuitBreakers.keySet() + ", hedges=" + hedges.keySet()
                + ", timeouts=" + timeouts.keySet() + ", bulkheads=" + bulkheads.keySet() + "]";
    }
}
