package dev.retry.spring.registry;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadConfig;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.BulkheadPolicyBuilder;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerPolicyBuilder;
import dev.retry.core.FallbackListener;
import dev.retry.core.HedgeConfig;
import dev.retry.core.HedgePolicy;
import dev.retry.core.HedgePolicyBuilder;
import dev.retry.core.InvalidOptionException;
import dev.retry.core.RetryBudget;
import dev.retry.core.RetryConfig;
import dev.retry.core.RetryPolicy;
import dev.retry.core.RetryPolicyBuilder;
import dev.retry.core.Ticker;
import dev.retry.core.TimeoutConfig;
import dev.retry.core.TimeoutPolicy;
import dev.retry.core.TimeoutPolicyBuilder;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.config.RetryProperties;
import dev.retry.spring.config.RetrySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
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
 */
public final class RetryRegistry implements PolicySource {

    private static final org.apache.commons.logging.Log LOG =
            org.apache.commons.logging.LogFactory.getLog(RetryRegistry.class);

    /** Swapped whole by a change while running; read once wherever an instance is built. */
    private volatile RetrySettings settings;

    private final List<PolicyListeners> listeners;
    private final FailureRules failureRules;
    private final Executor hedgeExecutor;
    /** {@code null}: the system's clock, each builder's default. */
    private final PolicyTime time;

    private final Map<String, RetryPolicy> retryPolicies = new ConcurrentSkipListMap<>();
    private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();
    private final Map<String, RetryPolicy> retryVariants = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreakerPolicy> circuitBreakers = new ConcurrentSkipListMap<>();
    private final Map<String, HedgePolicy> hedgePolicies = new ConcurrentSkipListMap<>();
    private final Map<String, HedgePolicy> hedgeVariants = new ConcurrentHashMap<>();
    private final Map<String, TimeoutPolicy> timeoutPolicies = new ConcurrentSkipListMap<>();
    private final Map<String, TimeoutPolicy> timeoutVariants = new ConcurrentHashMap<>();
    private final Map<String, BulkheadPolicy> bulkheads = new ConcurrentSkipListMap<>();

    /** What each variant was built from, so that a change can build it again on top of the new YAML. */
    private final Map<String, Variant<Retryable>> retryVariantSources = new ConcurrentHashMap<>();

    private final Map<String, Variant<Hedged>> hedgeVariantSources = new ConcurrentHashMap<>();
    private final Map<String, Variant<Duration>> timeoutVariantSources = new ConcurrentHashMap<>();
    /** The breakers and bulkheads of one method each, which follow their section's {@code default}. */
    private final Set<String> ownBreakers = ConcurrentHashMap.newKeySet();

    private final Set<String> ownBulkheads = ConcurrentHashMap.newKeySet();
    private volatile ConfigChange lastChange;

    /** A variant: the entry it varies and what the annotation sets inline. */
    private record Variant<A>(String name, A inline) {}

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
        this.time = time;
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.listeners = List.copyOf(listeners);
        this.failureRules = Objects.requireNonNull(failureRules, "failureRules must not be null");
        this.hedgeExecutor = hedgeExecutor;
        settings.policies().forEach((name, policy) -> retryPolicies.put(name, buildRetry(name, policy, null)));
        settings.circuitBreakers().forEach((name, breaker) -> circuitBreakers.put(name, buildBreaker(name, breaker)));
        settings.hedges().forEach((name, hedge) -> hedgePolicies.put(name, buildHedge(name, hedge, null)));
        settings.timeouts().forEach((name, timeout) -> timeoutPolicies.put(name, buildTimeout(name, timeout, null)));
        settings.bulkheads().forEach((name, bulkhead) -> bulkheads.put(name, buildBulkhead(name, bulkhead)));
    }

    /** Every retry policy by name, including {@code default}. */
    public Map<String, RetryPolicy> retryPolicies() {
        return Collections.unmodifiableMap(retryPolicies);
    }

    /**
     * The retry policies built for annotations' inline values, each known by its name followed by
     * those values, such as {@code inventory @Retryable(maxAttempts=5)}.
     */
    public Map<String, RetryPolicy> retryPolicyVariants() {
        return Collections.unmodifiableMap(retryVariants);
    }

    /** The hedging policies built for annotations' inline values, named as {@link #retryPolicyVariants()}. */
    public Map<String, HedgePolicy> hedgePolicyVariants() {
        return Collections.unmodifiableMap(hedgeVariants);
    }

    /** The timeouts built for annotations' inline durations, named as {@link #retryPolicyVariants()}. */
    public Map<String, TimeoutPolicy> timeoutPolicyVariants() {
        return Collections.unmodifiableMap(timeoutVariants);
    }

    /** {@code retry.strict-names}, as configured. */
    public boolean strictNames() {
        return settings.strictNames();
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
        return Collections.unmodifiableMap(circuitBreakers);
    }

    /** Every hedging policy by name. */
    public Map<String, HedgePolicy> hedgePolicies() {
        return Collections.unmodifiableMap(hedgePolicies);
    }

    /** Every timeout by name. */
    public Map<String, TimeoutPolicy> timeoutPolicies() {
        return Collections.unmodifiableMap(timeoutPolicies);
    }

    /** Every bulkhead by name, the per-method ones included. */
    public Map<String, BulkheadPolicy> bulkheads() {
        return Collections.unmodifiableMap(bulkheads);
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
            RetryProperties properties = Binder.get(environment).bindOrCreate("retry", RetryProperties.class);
            next = RetrySettings.of(properties, classLoader, environment);
        } catch (InvalidRetryConfigurationException invalid) {
            return refused(invalid.getMessage());
        } catch (BindException unbindable) {
            Throwable cause = unbindable.getCause() != null ? unbindable.getCause() : unbindable;
            return refused(InvalidRetryConfigurationException.PREFIX
                    + unbindable.getProperty().getName() + " = '"
                    + unbindable.getProperty().getValue() + "' cannot be read: " + cause.getMessage());
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
        List<String> problems = new ArrayList<>();
        List<Runnable> changes = new ArrayList<>();
        Map<String, RetryBudget> nextBudgets = new HashMap<>();
        retryPolicies.forEach((name, policy) -> plan(problems, "retry.policies." + name, () -> {
            RetryConfig base =
                    entry(next, next.policy(name), next.policy(RetrySettings.DEFAULT), "retry.policies." + name);
            RetryConfig config = retryBuilder(next, name, base, null).buildConfig();
            RetryBudget budget = budgetFor(nextBudgets, name, base);
            changes.add(() -> policy.reconfigure(config, budget));
        }));
        retryVariants.forEach((key, policy) -> plan(problems, key, () -> {
            Variant<Retryable> variant = retryVariantSources.get(key);
            RetryConfig base = entry(
                    next,
                    next.policy(variant.name()),
                    next.policy(RetrySettings.DEFAULT),
                    "retry.policies." + variant.name());
            RetryConfig config = inline(
                    "retry.policies." + variant.name(),
                    () -> retryBuilder(next, variant.name(), base, variant.inline())
                            .buildConfig());
            RetryBudget budget = budgetFor(nextBudgets, variant.name(), base);
            changes.add(() -> policy.reconfigure(config, budget));
        }));
        circuitBreakers.forEach((name, breaker) -> plan(problems, "retry.circuit-breakers." + name, () -> {
            CircuitBreakerConfig base = ownBreakers.contains(name)
                    ? next.circuitBreaker(RetrySettings.DEFAULT).orElseThrow()
                    : entry(
                            next,
                            next.circuitBreaker(name),
                            next.circuitBreaker(RetrySettings.DEFAULT),
                            "retry.circuit-breakers." + name);
            CircuitBreakerConfig config = breakerBuilder(next, name, base).buildConfig();
            changes.add(() -> breaker.reconfigure(config));
        }));
        hedgePolicies.forEach((name, hedge) -> plan(problems, "retry.hedges." + name, () -> {
            HedgeConfig base = entry(next, next.hedge(name), next.hedge(RetrySettings.DEFAULT), "retry.hedges." + name);
            HedgeConfig config = hedgeBuilder(name, base, null).buildConfig();
            changes.add(() -> hedge.reconfigure(config));
        }));
        hedgeVariants.forEach((key, hedge) -> plan(problems, key, () -> {
            Variant<Hedged> variant = hedgeVariantSources.get(key);
            HedgeConfig base = entry(
                    next,
                    next.hedge(variant.name()),
                    next.hedge(RetrySettings.DEFAULT),
                    "retry.hedges." + variant.name());
            HedgeConfig config = inline(
                    "retry.hedges." + variant.name(),
                    () -> hedgeBuilder(variant.name(), base, variant.inline()).buildConfig());
            changes.add(() -> hedge.reconfigure(config));
        }));
        timeoutPolicies.forEach((name, timeout) -> plan(problems, "retry.timeouts." + name, () -> {
            TimeoutConfig base =
                    entry(next, next.timeout(name), next.timeout(RetrySettings.DEFAULT), "retry.timeouts." + name);
            TimeoutConfig config = timeoutBuilder(name, base, null).buildConfig();
            changes.add(() -> timeout.reconfigure(config));
        }));
        timeoutVariants.forEach((key, timeout) -> plan(problems, key, () -> {
            Variant<Duration> variant = timeoutVariantSources.get(key);
            TimeoutConfig base = entry(
                    next,
                    next.timeout(variant.name()),
                    next.timeout(RetrySettings.DEFAULT),
                    "retry.timeouts." + variant.name());
            TimeoutConfig config = inline(
                    "retry.timeouts." + variant.name(),
                    () -> timeoutBuilder(variant.name(), base, variant.inline()).buildConfig());
            changes.add(() -> timeout.reconfigure(config));
        }));
        bulkheads.forEach((name, bulkhead) -> plan(problems, "retry.bulkheads." + name, () -> {
            BulkheadConfig base = ownBulkheads.contains(name)
                    ? next.bulkhead(RetrySettings.DEFAULT).orElseThrow()
                    : entry(next, next.bulkhead(name), next.bulkhead(RetrySettings.DEFAULT), "retry.bulkheads." + name);
            BulkheadConfig config = BulkheadPolicy.builder(base).name(name).buildConfig();
            changes.add(() -> bulkhead.reconfigure(config));
        }));
        if (!problems.isEmpty()) {
            return refused(problems.stream()
                    .map(problem -> InvalidRetryConfigurationException.PREFIX + problem)
                    .collect(Collectors.joining("\n")));
        }
        settings = next;
        changes.forEach(Runnable::run);
        nextBudgets.forEach(budgets::put);
        List<String> added = new ArrayList<>();
        next.policies()
                .forEach((name, policy) ->
                        addNew(retryPolicies, name, "retry.policies", added, () -> buildRetry(name, policy, null)));
        next.circuitBreakers()
                .forEach((name, breaker) -> addNew(
                        circuitBreakers, name, "retry.circuit-breakers", added, () -> buildBreaker(name, breaker)));
        next.hedges()
                .forEach((name, hedge) ->
                        addNew(hedgePolicies, name, "retry.hedges", added, () -> buildHedge(name, hedge, null)));
        next.timeouts()
                .forEach((name, timeout) -> addNew(
                        timeoutPolicies, name, "retry.timeouts", added, () -> buildTimeout(name, timeout, null)));
        next.bulkheads()
                .forEach((name, bulkhead) ->
                        addNew(bulkheads, name, "retry.bulkheads", added, () -> buildBulkhead(name, bulkhead)));
        String message = "Retry configuration changed: " + changes.size() + " live instances took it in place"
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

    /** Builds one instance's new configuration, noting a refusal under the path it was written at. */
    private static void plan(List<String> problems, String path, Runnable build) {
        try {
            build.run();
        } catch (InvalidOptionException refused) {
            problems.add(path + "." + DataObjectPropertyName.toDashedForm(refused.option()) + " was '" + refused.value()
                    + "', but it must be " + refused.allowed());
        } catch (IllegalArgumentException refused) {
            problems.add(path + " " + refused.getMessage());
        }
    }

    /** A removed entry: the section's default where names need not be configured, refused otherwise. */
    private static <E> E entry(RetrySettings next, Optional<E> entry, Optional<E> defaults, String path) {
        if (entry.isPresent()) {
            return entry.get();
        }
        if (next.strictNames()) {
            throw new IllegalArgumentException("is no longer configured, but the running application uses it: with"
                    + " retry.strict-names=true an entry in use cannot be removed while the application runs");
        }
        return defaults.orElseThrow();
    }

    /** The budget {@code name}'s policies share under {@code policy}: the live one while its numbers hold. */
    private RetryBudget budgetFor(Map<String, RetryBudget> nextBudgets, String name, RetryConfig policy) {
        if (policy.budgetRatio() <= 0) {
            return null;
        }
        RetryBudget live = budgets.get(name);
        if (live != null
                && live.ratio() == policy.budgetRatio()
                && live.minRetriesPerSecond() == policy.budgetMinRetriesPerSecond()) {
            return live;
        }
        return nextBudgets.computeIfAbsent(
                name,
                n -> RetryBudget.create(policy.budgetRatio(), policy.budgetMinRetriesPerSecond(), budgetTicker()));
    }

    /** Builds an entry named for the first time, which registers its meters once, as at start-up. */
    private static <P> void addNew(
            Map<String, P> live, String name, String section, List<String> added, Supplier<P> build) {
        live.computeIfAbsent(name, n -> {
            added.add(section + "." + n);
            return build.get();
        });
    }

    /** What the fallbacks of annotated methods report to; {@code null} when nobody listens. */
    @Override
    public FallbackListener fallbackListener() {
        FallbackListener[] all = listeners.stream()
                .map(PolicyListeners::fallbackListener)
                .filter(Objects::nonNull)
                .toArray(FallbackListener[]::new);
        if (all.length == 0) {
            return null;
        }
        return (fallback, failure, lastKnownGood) -> {
            for (FallbackListener listener : all) {
                listener.onFallback(fallback, failure, lastKnownGood);
            }
        };
    }

    @Override
    public RetryPolicy retryPolicy(Retryable annotation) {
        String name = nameOf(annotation.value());
        RetryConfig configured = configured(
                settings.policy(name),
                "retry.policies",
                name,
                settings::policy,
                settings.policies().keySet());
        boolean overridden =
                annotation.maxAttempts() != -1 || annotation.retryOn().length > 0 || annotation.abortOn().length > 0;
        if (!overridden) {
            return retryPolicies.computeIfAbsent(name, n -> buildRetry(n, configured, null));
        }
        String key = variantName(
                name,
                "@Retryable",
                annotation.maxAttempts() != -1 ? "maxAttempts=" + annotation.maxAttempts() : "",
                annotation.retryOn().length > 0 ? "retryOn=" + simpleNames(annotation.retryOn()) : "",
                annotation.abortOn().length > 0 ? "abortOn=" + simpleNames(annotation.abortOn()) : "");
        retryVariantSources.putIfAbsent(key, new Variant<>(name, annotation));
        return retryVariants.computeIfAbsent(
                key, k -> inline("retry.policies." + name, () -> buildRetry(name, configured, annotation)));
    }

    @Override
    public CircuitBreakerPolicy circuitBreaker(String name, String methodName) {
        if (name.isEmpty()) {
            CircuitBreakerConfig defaults =
                    settings.circuitBreaker(RetrySettings.DEFAULT).orElseThrow();
            ownBreakers.add(methodName);
            return circuitBreakers.computeIfAbsent(methodName, n -> buildBreaker(n, defaults));
        }
        CircuitBreakerConfig configured = configured(
                settings.circuitBreaker(name),
                "retry.circuit-breakers",
                name,
                settings::circuitBreaker,
                settings.circuitBreakers().keySet());
        return circuitBreakers.computeIfAbsent(name, n -> buildBreaker(n, configured));
    }

    @Override
    public HedgePolicy hedgePolicy(Hedged annotation) {
        String name = nameOf(annotation.value());
        HedgeConfig configured = configured(
                settings.hedge(name),
                "retry.hedges",
                name,
                settings::hedge,
                settings.hedges().keySet());
        if (annotation.delay().isEmpty() && annotation.maxHedges() == -1) {
            return hedgePolicies.computeIfAbsent(name, n -> buildHedge(n, configured, null));
        }
        String key = variantName(
                name,
                "@Hedged",
                annotation.delay().isEmpty() ? "" : "delay=" + annotation.delay(),
                annotation.maxHedges() != -1 ? "maxHedges=" + annotation.maxHedges() : "");
        hedgeVariantSources.putIfAbsent(key, new Variant<>(name, annotation));
        return hedgeVariants.computeIfAbsent(
                key, k -> inline("retry.hedges." + name, () -> buildHedge(name, configured, annotation)));
    }

    @Override
    public TimeoutPolicy timeoutPolicy(Timeout annotation) {
        String name = nameOf(annotation.value());
        TimeoutConfig configured = configured(
                settings.timeout(name),
                "retry.timeouts",
                name,
                settings::timeout,
                settings.timeouts().keySet());
        if (annotation.duration().isEmpty()) {
            return timeoutPolicies.computeIfAbsent(name, n -> buildTimeout(n, configured, null));
        }
        Duration duration = RetrySettings.duration(annotation.duration());
        if (duration == null) {
            throw new IllegalArgumentException("sets duration = '" + annotation.duration()
                    + "', but it must be a duration above zero, such as 500ms or 2s");
        }
        String key = variantName(
                name, "@Timeout", "duration=" + annotation.duration().trim());
        timeoutVariantSources.putIfAbsent(key, new Variant<>(name, duration));
        return timeoutVariants.computeIfAbsent(
                key, k -> inline("retry.timeouts." + name, () -> buildTimeout(name, configured, duration)));
    }

    @Override
    public BulkheadPolicy bulkhead(String name, String methodName) {
        if (name.isEmpty()) {
            BulkheadConfig defaults = settings.bulkhead(RetrySettings.DEFAULT).orElseThrow();
            ownBulkheads.add(methodName);
            return bulkheads.computeIfAbsent(methodName, n -> buildBulkhead(n, defaults));
        }
        BulkheadConfig configured = configured(
                settings.bulkhead(name),
                "retry.bulkheads",
                name,
                settings::bulkhead,
                settings.bulkheads().keySet());
        return bulkheads.computeIfAbsent(name, n -> buildBulkhead(n, configured));
    }

    /**
     * Builds a variant with an annotation's inline values, which the core builder checks as it checks
     * the YAML; a refusal names the annotation's attribute and the key it would otherwise keep.
     */
    private static <P> P inline(String entryPath, Supplier<P> build) {
        try {
            return build.get();
        } catch (InvalidOptionException refused) {
            String related = refused.relatedOption().isEmpty() ? "" : " (" + refused.relatedValue() + ")";
            throw new IllegalArgumentException(
                    "sets " + refused.option() + " = " + refused.value() + ", but it must be "
                            + refused.allowed() + related + " (or left out to keep " + entryPath + "."
                            + DataObjectPropertyName.toDashedForm(refused.option()) + ")",
                    refused);
        }
    }

    /** {@code inventory @Retryable(maxAttempts=5)}: how a variant is known, in the endpoint too. */
    private static String variantName(String name, String annotation, String... values) {
        return name + " " + annotation
                + Arrays.stream(values)
                        .filter(value -> !value.isEmpty())
                        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    private static String simpleNames(Class<?>[] types) {
        return Arrays.stream(types)
                .map(Class::getSimpleName)
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    private static String nameOf(String value) {
        return value.isEmpty() ? RetrySettings.DEFAULT : value;
    }

    private <E> E configured(
            Optional<E> entry,
            String section,
            String name,
            java.util.function.Function<String, Optional<E>> lookup,
            java.util.Set<String> names) {
        if (entry.isPresent()) {
            return entry.get();
        }
        if (settings.strictNames()) {
            throw new UnknownPolicyException(section + "." + name, names);
        }
        return lookup.apply(RetrySettings.DEFAULT).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] array(List<Class<? extends Throwable>> types) {
        return (Class<? extends Throwable>[]) types.toArray(new Class<?>[0]);
    }

    /** The clock a shared budget's window slides on: the test's virtual one when there is one. */
    private Ticker budgetTicker() {
        return time != null ? time.ticker() : Ticker.system();
    }

    private RetryPolicy buildRetry(String name, RetryConfig policy, Retryable overrides) {
        RetryPolicyBuilder builder = retryBuilder(settings, name, policy, overrides);
        if (policy.budgetRatio() > 0) {
            builder.sharedBudget(budgets.computeIfAbsent(
                    name,
                    n -> RetryBudget.create(policy.budgetRatio(), policy.budgetMinRetriesPerSecond(), budgetTicker())));
        }
        listeners.stream()
                .map(l -> l.retryListener(name))
                .filter(Objects::nonNull)
                .forEach(builder::listener);
        RetryPolicy built = builder.build();
        if (overrides == null) {
            listeners.forEach(l -> l.retryPolicyBuilt(name, built));
        }
        return built;
    }

    /** A policy's builder with everything that goes into its configuration, and nothing else. */
    private RetryPolicyBuilder retryBuilder(RetrySettings from, String name, RetryConfig policy, Retryable overrides) {
        RetryPolicyBuilder builder = RetryPolicy.builder(policy).name(name);
        if (time != null) {
            time.applyTo(builder);
        }
        if (overrides != null && overrides.maxAttempts() != -1) {
            builder.maxAttempts(overrides.maxAttempts());
        }
        if (overrides != null && overrides.retryOn().length > 0) {
            builder.retryOn(overrides.retryOn());
        }
        if (overrides != null && overrides.abortOn().length > 0) {
            builder.abortOn(overrides.abortOn());
        }
        boolean retryOnIsNarrowed = (overrides != null && overrides.retryOn().length > 0)
                || !policy.retryOn().isEmpty();
        failureRules.retryPolicy(builder, from.retryOnStatus(policy.name()), retryOnIsNarrowed);
        return builder;
    }

    private CircuitBreakerPolicy buildBreaker(String name, CircuitBreakerConfig breaker) {
        CircuitBreakerPolicyBuilder builder = breakerBuilder(settings, name, breaker);
        listeners.stream()
                .map(l -> l.circuitBreakerListener(name))
                .filter(Objects::nonNull)
                .forEach(builder::listener);
        CircuitBreakerPolicy built = builder.build();
        listeners.forEach(l -> l.circuitBreakerBuilt(built));
        return built;
    }

    private CircuitBreakerPolicyBuilder breakerBuilder(RetrySettings from, String name, CircuitBreakerConfig breaker) {
        CircuitBreakerPolicyBuilder builder =
                CircuitBreakerPolicy.builder(breaker).name(name);
        if (time != null) {
            time.applyTo(builder);
        }
        failureRules.circuitBreaker(builder, from.recordOnStatus(breaker.name()));
        return builder;
    }

    private TimeoutPolicy buildTimeout(String name, TimeoutConfig timeout, Duration inlineDuration) {
        TimeoutPolicyBuilder builder = timeoutBuilder(name, timeout, inlineDuration);
        listeners.stream()
                .map(l -> l.timeoutListener(name))
                .filter(Objects::nonNull)
                .forEach(builder::listener);
        return builder.build();
    }

    private TimeoutPolicyBuilder timeoutBuilder(String name, TimeoutConfig timeout, Duration inlineDuration) {
        TimeoutPolicyBuilder builder = TimeoutPolicy.builder(timeout).name(name);
        if (time != null) {
            time.applyTo(builder);
        }
        if (inlineDuration != null) {
            builder.duration(inlineDuration);
        }
        return builder;
    }

    private BulkheadPolicy buildBulkhead(String name, BulkheadConfig bulkhead) {
        BulkheadPolicyBuilder builder = BulkheadPolicy.builder(bulkhead).name(name);
        if (time != null) {
            time.applyTo(builder);
        }
        listeners.stream()
                .map(l -> l.bulkheadListener(name))
                .filter(Objects::nonNull)
                .forEach(builder::listener);
        BulkheadPolicy built = builder.build();
        listeners.forEach(l -> l.bulkheadBuilt(built));
        return built;
    }

    private HedgePolicy buildHedge(String name, HedgeConfig hedge, Hedged overrides) {
        HedgePolicyBuilder builder = hedgeBuilder(name, hedge, overrides);
        if (hedgeExecutor != null) {
            builder.executor(hedgeExecutor);
        }
        listeners.stream()
                .map(l -> l.hedgeListener(name))
                .filter(Objects::nonNull)
                .forEach(builder::listener);
        HedgePolicy built = builder.build();
        if (overrides == null) {
            listeners.forEach(l -> l.hedgePolicyBuilt(name, built));
        }
        return built;
    }

    private HedgePolicyBuilder hedgeBuilder(String name, HedgeConfig hedge, Hedged overrides) {
        HedgePolicyBuilder builder = HedgePolicy.builder(hedge).name(name);
        if (time != null) {
            time.applyTo(builder);
        }
        if (overrides != null && overrides.maxHedges() != -1) {
            builder.maxHedges(overrides.maxHedges());
        }
        if (overrides != null
                && !overrides.delay().isEmpty()
                && !RetrySettings.hedgeDelay(builder, overrides.delay())) {
            throw new IllegalArgumentException("sets delay = '" + overrides.delay() + "', but it must be a duration of"
                    + " zero or more, such as 100ms or 2s, or a percentile of observed latency from p50 to p99.9");
        }
        return builder;
    }
}
