package dev.retry.spring.registry;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
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
import dev.retry.spring.config.RetrySettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * Builds one instance from its resolved settings, or only the configuration it would have: the one
 * place where an entry meets the registry's clock, failure rules, hedge executor and listeners.
 *
 * <p>The {@code ...Config} methods build exactly what the instance methods would configure, without
 * listeners and without registering anything, so that a change while running can check every new
 * configuration before any instance takes one ({@link ChangePlan}).
 */
final class PolicyFactory {

    private final List<PolicyListeners> listeners;
    private final FailureRules failureRules;
    /** {@code null}: the core's default. */
    private final Executor hedgeExecutor;
    /** {@code null}: the system's clock, each builder's default. */
    private final PolicyTime time;

    PolicyFactory(List<PolicyListeners> listeners, FailureRules failureRules, Executor hedgeExecutor, PolicyTime time) {
        this.listeners = List.copyOf(listeners);
        this.failureRules = Objects.requireNonNull(failureRules, "failureRules must not be null");
        this.hedgeExecutor = hedgeExecutor;
        this.time = time;
    }

    /**
     * A retry policy, sharing the budget that {@code budgets} holds under {@code name} (created there
     * on first use) when its configuration has one. Only a named entry, not an annotation variant,
     * is announced to the listeners as built.
     */
    RetryPolicy retry(
            RetrySettings from,
            String name,
            RetryConfig policy,
            Retryable overrides,
            Map<String, RetryBudget> budgets) {
        RetryPolicyBuilder builder = retryBuilder(from, name, policy, overrides);
        if (policy.budgetRatio() > 0) {
            builder.sharedBudget(budgets.computeIfAbsent(name, n -> budget(policy)));
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

    RetryConfig retryConfig(RetrySettings from, String name, RetryConfig policy, Retryable overrides) {
        return retryBuilder(from, name, policy, overrides).buildConfig();
    }

    /** A new budget with {@code policy}'s numbers, sliding on the registry's clock. */
    RetryBudget budget(RetryConfig policy) {
        return RetryBudget.create(policy.budgetRatio(), policy.budgetMinRetriesPerSecond(), budgetTicker());
    }

    CircuitBreakerPolicy breaker(RetrySettings from, String name, CircuitBreakerConfig breaker) {
        CircuitBreakerPolicyBuilder builder = breakerBuilder(from, name, breaker);
        listeners.stream()
                .map(l -> l.circuitBreakerListener(name))
                .filter(Objects::nonNull)
                .forEach(builder::listener);
        CircuitBreakerPolicy built = builder.build();
        listeners.forEach(l -> l.circuitBreakerBuilt(built));
        return built;
    }

    CircuitBreakerConfig breakerConfig(RetrySettings from, String name, CircuitBreakerConfig breaker) {
        return breakerBuilder(from, name, breaker).buildConfig();
    }

    HedgePolicy hedge(String name, HedgeConfig hedge, Hedged overrides) {
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

    HedgeConfig hedgeConfig(String name, HedgeConfig hedge, Hedged overrides) {
        return hedgeBuilder(name, hedge, overrides).buildConfig();
    }

    TimeoutPolicy timeout(String name, TimeoutConfig timeout, Duration inlineDuration) {
        TimeoutPolicyBuilder builder = timeoutBuilder(name, timeout, inlineDuration);
        listeners.stream()
                .map(l -> l.timeoutListener(name))
                .filter(Objects::nonNull)
                .forEach(builder::listener);
        return builder.build();
    }

    TimeoutConfig timeoutConfig(String name, TimeoutConfig timeout, Duration inlineDuration) {
        return timeoutBuilder(name, timeout, inlineDuration).buildConfig();
    }

    BulkheadPolicy bulkhead(String name, BulkheadConfig bulkhead) {
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

    BulkheadConfig bulkheadConfig(String name, BulkheadConfig bulkhead) {
        return BulkheadPolicy.builder(bulkhead).name(name).buildConfig();
    }

    /** What the fallbacks of annotated methods report to; {@code null} when nobody listens. */
    FallbackListener fallbackListener() {
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

    /**
     * Builds a variant with an annotation's inline values, which the core builder checks as it checks
     * the YAML; a refusal names the annotation's attribute and the key it would otherwise keep.
     */
    static <P> P inline(String entryPath, Supplier<P> build) {
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

    /** The clock a shared budget's window slides on: the test's virtual one when there is one. */
    private Ticker budgetTicker() {
        return time != null ? time.ticker() : Ticker.system();
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

    private CircuitBreakerPolicyBuilder breakerBuilder(RetrySettings from, String name, CircuitBreakerConfig breaker) {
        CircuitBreakerPolicyBuilder builder =
                CircuitBreakerPolicy.builder(breaker).name(name);
        if (time != null) {
            time.applyTo(builder);
        }
        failureRules.circuitBreaker(builder, from.recordOnStatus(breaker.name()));
        return builder;
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
