package dev.retry.spring.registry;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.core.BulkheadConfig;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.HedgeConfig;
import dev.retry.core.InvalidOptionException;
import dev.retry.core.RetryBudget;
import dev.retry.core.RetryConfig;
import dev.retry.core.TimeoutConfig;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.registry.LiveInstances.Variant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * What a new {@link RetrySettings} changes, instance by instance, and the all-or-nothing apply.
 *
 * <p>Planning builds every live instance's new configuration (annotation variants on top of the new
 * YAML, per-method breakers and bulkheads from the new {@code default}) without touching any
 * instance; a value the core refuses is noted under the YAML path it was written at, and planning
 * goes on, so that a refusal lists every problem at once. Only a plan without problems is applied:
 * then every instance takes its configuration, and entries named for the first time are built.
 * The caller keeps plans from overlapping ({@link RetryRegistry#reconfigure(RetrySettings)} is
 * synchronized).
 */
final class ChangePlan {

    private final RetrySettings next;
    private final LiveInstances live;
    private final PolicyFactory factory;

    private final List<String> problems = new ArrayList<>();
    private final List<Runnable> changes = new ArrayList<>();
    /** Budgets whose numbers change: new ones, which replace the live ones only when applied. */
    private final Map<String, RetryBudget> nextBudgets = new HashMap<>();

    private ChangePlan(RetrySettings next, LiveInstances live, PolicyFactory factory) {
        this.next = next;
        this.live = live;
        this.factory = factory;
    }

    /** Plans {@code next} for every instance in {@code live}; nothing changes until {@link #apply()}. */
    static ChangePlan of(RetrySettings next, LiveInstances live, PolicyFactory factory) {
        ChangePlan plan = new ChangePlan(next, live, factory);
        plan.planRetries();
        plan.planBreakers();
        plan.planHedges();
        plan.planTimeouts();
        plan.planBulkheads();
        return plan;
    }

    /** Whether any instance would refuse its new configuration. */
    boolean isRefused() {
        return !problems.isEmpty();
    }

    /** Every problem, one line each, in the start-up message's words. */
    String refusal() {
        return problems.stream()
                .map(problem -> InvalidRetryConfigurationException.PREFIX + problem)
                .collect(Collectors.joining("\n"));
    }

    /** How many live instances take a new configuration. */
    int instances() {
        return changes.size();
    }

    /**
     * Hands every live instance its new configuration and builds the entries named for the first
     * time, which register their meters once, as at start-up.
     *
     * @return the paths of the entries built, such as {@code retry.policies.search}
     */
    List<String> apply() {
        if (isRefused()) {
            throw new IllegalStateException("a refused change cannot be applied:\n" + refusal());
        }
        changes.forEach(Runnable::run);
        live.budgets.putAll(nextBudgets);
        List<String> added = new ArrayList<>();
        next.policies()
                .forEach((name, policy) -> addNew(
                        live.retryPolicies,
                        name,
                        "retry.policies",
                        added,
                        () -> factory.retry(next, name, policy, null, live.budgets)));
        next.circuitBreakers()
                .forEach((name, breaker) -> addNew(
                        live.circuitBreakers,
                        name,
                        "retry.circuit-breakers",
                        added,
                        () -> factory.breaker(next, name, breaker)));
        next.hedges()
                .forEach((name, hedge) -> addNew(
                        live.hedgePolicies, name, "retry.hedges", added, () -> factory.hedge(name, hedge, null)));
        next.timeouts()
                .forEach((name, timeout) -> addNew(
                        live.timeoutPolicies,
                        name,
                        "retry.timeouts",
                        added,
                        () -> factory.timeout(name, timeout, null)));
        next.bulkheads()
                .forEach((name, bulkhead) ->
                        addNew(live.bulkheads, name, "retry.bulkheads", added, () -> factory.bulkhead(name, bulkhead)));
        return added;
    }

    private void planRetries() {
        live.retryPolicies.forEach((name, policy) -> plan("retry.policies." + name, () -> {
            RetryConfig base = entry(next.policy(name), next.policy(RetrySettings.DEFAULT));
            RetryConfig config = factory.retryConfig(next, name, base, null);
            RetryBudget budget = budgetFor(name, base);
            changes.add(() -> policy.reconfigure(config, budget));
        }));
        live.retryVariants.forEach((key, policy) -> plan(key, () -> {
            Variant<Retryable> variant = live.retryVariantSources.get(key);
            RetryConfig base = entry(next.policy(variant.name()), next.policy(RetrySettings.DEFAULT));
            RetryConfig config = PolicyFactory.inline(
                    "retry.policies." + variant.name(),
                    () -> factory.retryConfig(next, variant.name(), base, variant.inline()));
            RetryBudget budget = budgetFor(variant.name(), base);
            changes.add(() -> policy.reconfigure(config, budget));
        }));
    }

    private void planBreakers() {
        live.circuitBreakers.forEach((name, breaker) -> plan("retry.circuit-breakers." + name, () -> {
            CircuitBreakerConfig base = live.ownBreakers.contains(name)
                    ? next.circuitBreaker(RetrySettings.DEFAULT).orElseThrow()
                    : entry(next.circuitBreaker(name), next.circuitBreaker(RetrySettings.DEFAULT));
            CircuitBreakerConfig config = factory.breakerConfig(next, name, base);
            changes.add(() -> breaker.reconfigure(config));
        }));
    }

    private void planHedges() {
        live.hedgePolicies.forEach((name, hedge) -> plan("retry.hedges." + name, () -> {
            HedgeConfig base = entry(next.hedge(name), next.hedge(RetrySettings.DEFAULT));
            HedgeConfig config = factory.hedgeConfig(name, base, null);
            changes.add(() -> hedge.reconfigure(config));
        }));
        live.hedgeVariants.forEach((key, hedge) -> plan(key, () -> {
            Variant<Hedged> variant = live.hedgeVariantSources.get(key);
            HedgeConfig base = entry(next.hedge(variant.name()), next.hedge(RetrySettings.DEFAULT));
            HedgeConfig config = PolicyFactory.inline(
                    "retry.hedges." + variant.name(),
                    () -> factory.hedgeConfig(variant.name(), base, variant.inline()));
            changes.add(() -> hedge.reconfigure(config));
        }));
    }

    private void planTimeouts() {
        live.timeoutPolicies.forEach((name, timeout) -> plan("retry.timeouts." + name, () -> {
            TimeoutConfig base = entry(next.timeout(name), next.timeout(RetrySettings.DEFAULT));
            TimeoutConfig config = factory.timeoutConfig(name, base, null);
            changes.add(() -> timeout.reconfigure(config));
        }));
        live.timeoutVariants.forEach((key, timeout) -> plan(key, () -> {
            Variant<Duration> variant = live.timeoutVariantSources.get(key);
            TimeoutConfig base = entry(next.timeout(variant.name()), next.timeout(RetrySettings.DEFAULT));
            TimeoutConfig config = PolicyFactory.inline(
                    "retry.timeouts." + variant.name(),
                    () -> factory.timeoutConfig(variant.name(), base, variant.inline()));
            changes.add(() -> timeout.reconfigure(config));
        }));
    }

    private void planBulkheads() {
        live.bulkheads.forEach((name, bulkhead) -> plan("retry.bulkheads." + name, () -> {
            BulkheadConfig base = live.ownBulkheads.contains(name)
                    ? next.bulkhead(RetrySettings.DEFAULT).orElseThrow()
                    : entry(next.bulkhead(name), next.bulkhead(RetrySettings.DEFAULT));
            BulkheadConfig config = factory.bulkheadConfig(name, base);
            changes.add(() -> bulkhead.reconfigure(config));
        }));
    }

    /** Builds one instance's new configuration, noting a refusal under the path it was written at. */
    private void plan(String path, Runnable build) {
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
    private <E> E entry(Optional<E> entry, Optional<E> defaults) {
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
    private RetryBudget budgetFor(String name, RetryConfig policy) {
        if (policy.budgetRatio() <= 0) {
            return null;
        }
        RetryBudget current = live.budgets.get(name);
        if (current != null
                && current.ratio() == policy.budgetRatio()
                && current.minRetriesPerSecond() == policy.budgetMinRetriesPerSecond()) {
            return current;
        }
        return nextBudgets.computeIfAbsent(name, n -> factory.budget(policy));
    }

    /** Builds an entry named for the first time, which registers its meters once, as at start-up. */
    private static <P> void addNew(
            Map<String, P> live, String name, String section, List<String> added, Supplier<P> build) {
        live.computeIfAbsent(name, n -> {
            added.add(section + "." + n);
            return build.get();
        });
    }
}
