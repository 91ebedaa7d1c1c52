package dev.retry.spring.registry;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadConfig;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.FallbackListener;
import dev.retry.core.HedgeConfig;
import dev.retry.core.HedgePolicy;
import dev.retry.core.RetryConfig;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutConfig;
import dev.retry.core.TimeoutPolicy;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.registry.LiveInstances.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.Environment;

/**
 * The policies of an application, one shared instance per name, built from {@code retry.*} once.
 *
 * <p>Every configured retry policy, breaker and hedging policy is built when the registry is, so
 * that meters and the actuator show them from the start. An annotation's inline overrides build a
 * variant of the named policy that keeps its budget, so that retries still count against one
 * allowance per name. An unnamed {@code @CircuitBreaker} gets a breaker of its own, named after its
 * method. A name that is not configured is refused when the annotated bean is created, unless
 * {@code retry.strict-names=false}, when it is built from the section's {@code default}.
 *
 * <p>{@link #reconfigure(RetrySettings)} changes the configuration while the application runs: every
 * live instance, annotation variants and per-method instances included, takes its new configuration
 * in place, or, when any of them would refuse it, none does ({@link ConfigChange}).
 *
 * <p>Three parts share the work: {@link LiveInstances} holds what has been built, {@link
 * PolicyFactory} builds an instance (or only its configuration) from its settings, and {@link
 * ChangePlan} works out what a change does to each live instance and applies it whole.
 */
public final class RetryRegistry implements PolicySource {

    private static final org.apache.commons.logging.Log LOG =
            org.apache.commons.logging.LogFactory.getLog(RetryRegistry.class);

    /** Swapped whole by a change while running; read once wherever an instance is built. */
    private volatile RetrySettings settings;

    private final PolicyFactory factory;
    private final LiveInstances live = new LiveInstances();
    private volatile ConfigChange lastChange;

    /**
     * A registry without rules for any client library's failures.
     *
     * @param hedgeExecutor where hedged attempts run; {@code null} for the core's default
     */
    public RetryRegistry(RetrySettings settings, List<PolicyListeners> listeners, Executor hedgeExecutor) {
        this(settings, listeners, hedgeExecutor, FailureRules.NONE);
    }

    /**
     * @param hedgeExecutor where hedged attempts run; {@code null} for the core's default
     * @param failureRules what the class path's clients add to every policy and breaker, such as
     *     Spring's HTTP client errors classified by status
     */
    public RetryRegistry(
            RetrySettings settings,
            List<PolicyListeners> listeners,
            Executor hedgeExecutor,
            FailureRules failureRules) {
        this(settings, listeners, hedgeExecutor, failureRules, null);
    }

    /**
     * @param time the clock every policy runs on; {@code null} for the system's
     */
    public RetryRegistry(
            RetrySettings settings,
            List<PolicyListeners> listeners,
            Executor hedgeExecutor,
            FailureRules failureRules,
            PolicyTime time) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.factory = new PolicyFactory(listeners, failureRules, hedgeExecutor, time);
        settings.policies()
                .forEach((name, policy) ->
                        live.retryPolicies.put(name, factory.retry(settings, name, policy, null, live.budgets)));
        settings.circuitBreakers()
                .forEach((name, breaker) -> live.circuitBreakers.put(name, factory.breaker(settings, name, breaker)));
        settings.hedges().forEach((name, hedge) -> live.hedgePolicies.put(name, factory.hedge(name, hedge, null)));
        settings.timeouts()
                .forEach((name, timeout) -> live.timeoutPolicies.put(name, factory.timeout(name, timeout, null)));
        settings.bulkheads().forEach((name, bulkhead) -> live.bulkheads.put(name, factory.bulkhead(name, bulkhead)));
    }

    /** Every retry policy by name, including {@code default}. */
    public Map<String, RetryPolicy> retryPolicies() {
        return Collections.unmodifiableMap(live.retryPolicies);
    }

    /**
     * The retry policies built for annotations' inline values, each known by its name followed by
     * those values, such as {@code inventory @Retryable(maxAttempts=5)}.
     */
    public Map<String, RetryPolicy> retryPolicyVariants() {
        return Collections.unmodifiableMap(live.retryVariants);
    }

    /** The hedging policies built for annotations' inline values, named as {@link #retryPolicyVariants()}. */
    public Map<String, HedgePolicy> hedgePolicyVariants() {
        return Collections.unmodifiableMap(live.hedgeVariants);
    }

    /** The timeouts built for annotations' inline durations, named as {@link #retryPolicyVariants()}. */
    public Map<String, TimeoutPolicy> timeoutPolicyVariants() {
        return Collections.unmodifiableMap(live.timeoutVariants);
    }

    /** {@code retry.strict-names}, as configured. */
    public boolean strictNames() {
        return settings.strictNames();
    }

    /** {@code retry.health.down-when-open}, as configured now (a change while running included). */
    public boolean healthDownWhenOpen() {
        return settings.healthDownWhenOpen();
    }

    /** The HTTP statuses that the breaker {@code name} counts as failures, when spring-web is present. */
    public List<Integer> recordOnStatus(String name) {
        return settings.recordOnStatus(name);
    }

    /** The HTTP statuses that the retry policy {@code name} retries, when spring-web is present. */
    public List<Integer> retryOnStatus(String name) {
        return settings.retryOnStatus(name);
    }

    /** Every circuit breaker by name, the per-method ones included: what the actuator shows and moves. */
    public Map<String, CircuitBreakerPolicy> circuitBreakers() {
        return Collections.unmodifiableMap(live.circuitBreakers);
    }

    /** Every hedging policy by name. */
    public Map<String, HedgePolicy> hedgePolicies() {
        return Collections.unmodifiableMap(live.hedgePolicies);
    }

    /** Every timeout by name. */
    public Map<String, TimeoutPolicy> timeoutPolicies() {
        return Collections.unmodifiableMap(live.timeoutPolicies);
    }

    /** Every bulkhead by name, the per-method ones included. */
    public Map<String, BulkheadPolicy> bulkheads() {
        return Collections.unmodifiableMap(live.bulkheads);
    }

    /**
     * Binds {@code retry.*} from {@code environment} afresh and applies it as {@link
     * #reconfigure(RetrySettings)} does; a value the start-up would refuse refuses the change, with
     * the start-up's own message, logged once as an error.
     *
     * @param classLoader where the exception classes named in the configuration are looked up;
     *     {@code null} for the default class loader
     */
    public ConfigChange reconfigure(Environment environment, ClassLoader classLoader) {
        Objects.requireNonNull(environment, "environment must not be null");
        RetrySettings next;
        try {
            next = RetrySettings.bind(environment, classLoader);
        } catch (InvalidRetryConfigurationException invalid) {
            return refused(invalid.getMessage());
        } catch (BindException unbindable) {
            // Left to Boot only when its failure carries no value to quote, nor the environment one.
            Throwable cause = unbindable.getCause() != null ? unbindable.getCause() : unbindable;
            return refused(InvalidRetryConfigurationException.PREFIX + unbindable.getName() + " cannot be read: "
                    + cause.getMessage());
        }
        return reconfigure(next);
    }

    /**
     * Applies {@code next}, checked as at start-up, to every live instance in place, or to none.
     * Each instance's new configuration is built first, annotation variants on top of the new YAML;
     * only when every one of them is accepted do they all take theirs, and entries named for the
     * first time are built, with their meters. A breaker keeps its state, and its window where the
     * window's kind and size are unchanged; a bulkhead's held permits stay held under its new limit;
     * a budget carries over while its ratio and floor are unchanged. An entry that has been removed
     * takes its section's {@code default} under {@code retry.strict-names=false}, and refuses the
     * change otherwise, since the methods that use it are running.
     *
     * @return what happened, which {@link #lastChange()} returns from now on
     */
    public synchronized ConfigChange reconfigure(RetrySettings next) {
        Objects.requireNonNull(next, "next must not be null");
        if (!next.mode().equals(settings.mode())) {
            // The proxies were made, or left to the woven aspect, when the beans were created.
            return refused(InvalidRetryConfigurationException.PREFIX + "retry.mode was '" + next.mode()
                    + "', but it must be " + settings.mode() + ", the mode the application started with: who"
                    + " intercepts the annotated methods is settled at start-up");
        }
        ChangePlan plan = ChangePlan.of(next, live, factory);
        if (plan.isRefused()) {
            return refused(plan.refusal());
        }
        settings = next;
        List<String> added = plan.apply();
        String message = "Retry configuration changed: " + plan.instances() + " live instances took it in place"
                + (added.isEmpty() ? "" : "; new entries " + added);
        LOG.info(message);
        lastChange = new ConfigChange(Instant.now(), ConfigChange.Outcome.APPLIED, message);
        return lastChange;
    }

    /** The last change while running, applied or refused; empty until there has been one. */
    public Optional<ConfigChange> lastChange() {
        return Optional.ofNullable(lastChange);
    }

    private ConfigChange refused(String message) {
        LOG.error(message + "\nThe change was refused; the configuration the application ran with stays.");
        lastChange = new ConfigChange(Instant.now(), ConfigChange.Outcome.REFUSED, message);
        return lastChange;
    }

    /** What the fallbacks of annotated methods report to; {@code null} when nobody listens. */
    @Override
    public FallbackListener fallbackListener() {
        return factory.fallbackListener();
    }

    @Override
    public RetryPolicy retryPolicy(Retryable annotation) {
        RetrySettings current = settings;
        String name = nameOf(annotation.value());
        RetryConfig configured = configured(
                current,
                current.policy(name),
                "retry.policies",
                name,
                current::policy,
                current.policies().keySet());
        boolean overridden =
                annotation.maxAttempts() != -1 || annotation.retryOn().length > 0 || annotation.abortOn().length > 0;
        if (!overridden) {
            return live.retryPolicies.computeIfAbsent(
                    name, n -> factory.retry(current, n, configured, null, live.budgets));
        }
        String key = variantName(
                name,
                "@Retryable",
                annotation.maxAttempts() != -1 ? "maxAttempts=" + annotation.maxAttempts() : "",
                annotation.retryOn().length > 0 ? "retryOn=" + simpleNames(annotation.retryOn()) : "",
                annotation.abortOn().length > 0 ? "abortOn=" + simpleNames(annotation.abortOn()) : "");
        live.retryVariantSources.putIfAbsent(key, new Variant<>(name, annotation));
        return live.retryVariants.computeIfAbsent(
                key,
                k -> PolicyFactory.inline(
                        "retry.policies." + name,
                        () -> factory.retry(current, name, configured, annotation, live.budgets)));
    }

    @Override
    public CircuitBreakerPolicy circuitBreaker(String name, String methodName) {
        RetrySettings current = settings;
        if (name.isEmpty()) {
            CircuitBreakerConfig defaults =
                    current.circuitBreaker(RetrySettings.DEFAULT).orElseThrow();
            live.ownBreakers.add(methodName);
            return live.circuitBreakers.computeIfAbsent(methodName, n -> factory.breaker(current, n, defaults));
        }
        CircuitBreakerConfig configured = configured(
                current,
                current.circuitBreaker(name),
                "retry.circuit-breakers",
                name,
                current::circuitBreaker,
                current.circuitBreakers().keySet());
        return live.circuitBreakers.computeIfAbsent(name, n -> factory.breaker(current, n, configured));
    }

    @Override
    public HedgePolicy hedgePolicy(Hedged annotation) {
        RetrySettings current = settings;
        String name = nameOf(annotation.value());
        HedgeConfig configured = configured(
                current,
                current.hedge(name),
                "retry.hedges",
                name,
                current::hedge,
                current.hedges().keySet());
        if (annotation.delay().isEmpty() && annotation.maxHedges() == -1) {
            return live.hedgePolicies.computeIfAbsent(name, n -> factory.hedge(n, configured, null));
        }
        String key = variantName(
                name,
                "@Hedged",
                annotation.delay().isEmpty() ? "" : "delay=" + annotation.delay(),
                annotation.maxHedges() != -1 ? "maxHedges=" + annotation.maxHedges() : "");
        live.hedgeVariantSources.putIfAbsent(key, new Variant<>(name, annotation));
        return live.hedgeVariants.computeIfAbsent(
                key,
                k -> PolicyFactory.inline("retry.hedges." + name, () -> factory.hedge(name, configured, annotation)));
    }

    @Override
    public TimeoutPolicy timeoutPolicy(Timeout annotation) {
        RetrySettings current = settings;
        String name = nameOf(annotation.value());
        TimeoutConfig configured = configured(
                current,
                current.timeout(name),
                "retry.timeouts",
                name,
                current::timeout,
                current.timeouts().keySet());
        if (annotation.duration().isEmpty()) {
            return live.timeoutPolicies.computeIfAbsent(name, n -> factory.timeout(n, configured, null));
        }
        Duration duration = RetrySettings.duration(annotation.duration());
        if (duration == null) {
            throw new IllegalArgumentException("sets duration = '" + annotation.duration()
                    + "', but it must be a duration above zero, such as 500ms or 2s");
        }
        String key = variantName(
                name, "@Timeout", "duration=" + annotation.duration().trim());
        live.timeoutVariantSources.putIfAbsent(key, new Variant<>(name, duration));
        return live.timeoutVariants.computeIfAbsent(
                key,
                k -> PolicyFactory.inline("retry.timeouts." + name, () -> factory.timeout(name, configured, duration)));
    }

    @Override
    public BulkheadPolicy bulkhead(String name, String methodName) {
        RetrySettings current = settings;
        if (name.isEmpty()) {
            BulkheadConfig defaults = current.bulkhead(RetrySettings.DEFAULT).orElseThrow();
            live.ownBulkheads.add(methodName);
            return live.bulkheads.computeIfAbsent(methodName, n -> factory.bulkhead(n, defaults));
        }
        BulkheadConfig configured = configured(
                current,
                current.bulkhead(name),
                "retry.bulkheads",
                name,
                current::bulkhead,
                current.bulkheads().keySet());
        return live.bulkheads.computeIfAbsent(name, n -> factory.bulkhead(n, configured));
    }

    /** {@code inventory @Retryable(maxAttempts=5)}: how a variant is known, in the endpoint too. */
    private static String variantName(String name, String annotation, String... values) {
        return name + " " + annotation
                + Arrays.stream(values).filter(value -> !value.isEmpty()).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String simpleNames(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String nameOf(String value) {
        return value.isEmpty() ? RetrySettings.DEFAULT : value;
    }

    /** The entry an annotation names; its section's default where names need not be configured. */
    private static <E> E configured(
            RetrySettings current,
            Optional<E> entry,
            String section,
            String name,
            Function<String, Optional<E>> lookup,
            Set<String> names) {
        if (entry.isPresent()) {
            return entry.get();
        }
        if (current.strictNames()) {
            throw new UnknownPolicyException(section + "." + name, names);
        }
        return lookup.apply(RetrySettings.DEFAULT).orElseThrow();
    }
}
