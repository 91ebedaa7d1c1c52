package dev.retry.spring;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.TimeoutPolicy;
import dev.retry.core.TimeoutPolicyBuilder;
import dev.retry.core.BulkheadPolicyBuilder;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerPolicyBuilder;
import dev.retry.core.FallbackListener;
import dev.retry.core.HedgePolicy;
import dev.retry.core.HedgePolicyBuilder;
import dev.retry.core.RetryBudget;
import dev.retry.core.RetryPolicy;
import dev.retry.core.RetryPolicyBuilder;
import dev.retry.core.Ticker;
import dev.retry.spring.autoconfigure.EffectiveBulkhead;
import dev.retry.spring.autoconfigure.EffectiveCircuitBreaker;
import dev.retry.spring.autoconfigure.EffectiveHedge;
import dev.retry.spring.autoconfigure.EffectiveRetryPolicy;
import dev.retry.spring.autoconfigure.EffectiveTimeout;
import dev.retry.spring.autoconfigure.HedgeDelay;
import dev.retry.spring.autoconfigure.RetrySettings;
import dev.retry.spring.interceptor.PolicySource;
import dev.retry.spring.interceptor.UnknownPolicyException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;

/**
 * The policies of an application, one shared instance per name, built from {@code retry.*} once.
 *
 * <p>Every configured retry policy, breaker and hedging policy is built when the registry is, so
 * that meters and the actuator show them from the start. An annotation's inline overrides build a
 * variant of the named policy that keeps its budget, so that retries still count against one
 * allowance per name. An unnamed {@code @CircuitBreaker} gets a breaker of its own, named after its
 * method. A name that is not configured is refused when the annotated bean is created, unless
 * {@code retry.strict-names=false}, when it is built from the section's {@code default}.
 */
public final class RetryRegistry implements PolicySource {

    private static final Duration INITIAL_ADAPTIVE_HEDGE_DELAY = Duration.ofMillis(100);

    private final RetrySettings settings;
    private final List<PolicyListeners> listeners;
    private final HttpRules http;
    private final Executor hedgeExecutor;

    private final Map<String, RetryPolicy> retryPolicies = new ConcurrentSkipListMap<>();
    private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();
    private final Map<String, RetryPolicy> retryVariants = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreakerPolicy> circuitBreakers = new ConcurrentSkipListMap<>();
    private final Map<String, HedgePolicy> hedgePolicies = new ConcurrentSkipListMap<>();
    private final Map<String, HedgePolicy> hedgeVariants = new ConcurrentHashMap<>();
    private final Map<String, TimeoutPolicy> timeoutPolicies = new ConcurrentSkipListMap<>();
    private final Map<String, TimeoutPolicy> timeoutVariants = new ConcurrentHashMap<>();
    private final Map<String, BulkheadPolicy> bulkheads = new ConcurrentSkipListMap<>();

    /**
     * @param hedgeExecutor where hedged attempts run; {@code null} for the core's default
     */
    public RetryRegistry(RetrySettings settings, List<PolicyListeners> listeners, Executor hedgeExecutor) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.listeners = List.copyOf(listeners);
        this.http = HttpRules.forClassPath();
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

    /** What the fallbacks of annotated methods report to; {@code null} when nobody listens. */
    @Override
    public FallbackListener fallbackListener() {
        FallbackListener[] all = listeners.stream().map(PolicyListeners::fallbackListener).filter(Objects::nonNull)
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
        EffectiveRetryPolicy configured = configured(settings.policy(name), "retry.policies", name);
        if (annotation.maxAttempts() != -1 && annotation.maxAttempts() < 1) {
            throw new IllegalArgumentException("sets maxAttempts = " + annotation.maxAttempts()
                    + ", but it must be at least 1 (or left out to keep retry.policies." + name + ".max-attempts)");
        }
        boolean overridden = annotation.maxAttempts() != -1 || annotation.retryOn().length > 0
                || annotation.abortOn().length > 0;
        if (!overridden) {
            return retryPolicies.computeIfAbsent(name, n -> buildRetry(n, configured, null));
        }
        String key = name + "|" + annotation.maxAttempts() + "|" + Arrays.toString(annotation.retryOn()) + "|"
                + Arrays.toString(annotation.abortOn());
        return retryVariants.computeIfAbsent(key, k -> buildRetry(name, configured, annotation));
    }

    @Override
    public CircuitBreakerPolicy circuitBreaker(String name, String methodName) {
        if (name.isEmpty()) {
            EffectiveCircuitBreaker defaults = settings.circuitBreaker(RetrySettings.DEFAULT).orElseThrow();
            return circuitBreakers.computeIfAbsent(methodName, n -> buildBreaker(n, defaults));
        }
        EffectiveCircuitBreaker configured = configured(settings.circuitBreaker(name), "retry.circuit-breakers", name);
        return circuitBreakers.computeIfAbsent(name, n -> buildBreaker(n, configured));
    }

    @Override
    public HedgePolicy hedgePolicy(Hedged annotation) {
        String name = nameOf(annotation.value());
        EffectiveHedge configured = configured(settings.hedge(name), "retry.hedges", name);
        if (annotation.maxHedges() < -1) {
            throw new IllegalArgumentException("sets maxHedges = " + annotation.maxHedges()
                    + ", but it must be 0 or more (or left out to keep retry.hedges." + name + ".max-hedges)");
        }
        if (annotation.delay().isEmpty() && annotation.maxHedges() == -1) {
            return hedgePolicies.computeIfAbsent(name, n -> buildHedge(n, configured, null));
        }
        String key = name + "|" + annotation.delay() + "|" + annotation.maxHedges();
        return hedgeVariants.computeIfAbsent(key, k -> buildHedge(name, configured, annotation));
    }

    @Override
    public TimeoutPolicy timeoutPolicy(Timeout annotation) {
        String name = nameOf(annotation.value());
        EffectiveTimeout configured = configured(settings.timeout(name), "retry.timeouts", name);
        if (annotation.duration().isEmpty()) {
            return timeoutPolicies.computeIfAbsent(name, n -> buildTimeout(n, configured, null));
        }
        Duration duration = inlineTimeout(annotation.duration());
        return timeoutVariants.computeIfAbsent(name + "|" + duration, k -> buildTimeout(name, configured, duration));
    }

    @Override
    public BulkheadPolicy bulkhead(String name, String methodName) {
        if (name.isEmpty()) {
            EffectiveBulkhead defaults = settings.bulkhead(RetrySettings.DEFAULT).orElseThrow();
            return bulkheads.computeIfAbsent(methodName, n -> buildBulkhead(n, defaults));
        }
        EffectiveBulkhead configured = configured(settings.bulkhead(name), "retry.bulkheads", name);
        return bulkheads.computeIfAbsent(name, n -> buildBulkhead(n, configured));
    }

    private static Duration inlineTimeout(String text) {
        Duration duration;
        try {
            duration = org.springframework.boot.convert.DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException | ArithmeticException unreadable) {
            duration = null;
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("sets duration = '" + text
                    + "', but it must be a duration above zero, such as 500ms or 2s");
        }
        return duration;
    }

    private static String nameOf(String value) {
        return value.isEmpty() ? RetrySettings.DEFAULT : value;
    }

    private <E> E configured(java.util.Optional<E> entry, String section, String name) {
        if (entry.isPresent()) {
            return entry.get();
        }
        if (settings.strictNames()) {
            throw new UnknownPolicyException(section + "." + name);
        }
        return switch (section) {
            case "retry.policies" -> uncheckedCast(settings.policy(RetrySettings.DEFAULT).orElseThrow());
            case "retry.circuit-breakers" -> uncheckedCast(settings.circuitBreaker(RetrySettings.DEFAULT).orElseThrow());
            case "retry.timeouts" -> uncheckedCast(settings.timeout(RetrySettings.DEFAULT).orElseThrow());
            case "retry.bulkheads" -> uncheckedCast(settings.bulkhead(RetrySettings.DEFAULT).orElseThrow());
            default -> uncheckedCast(settings.hedge(RetrySettings.DEFAULT).orElseThrow());
        };
    }

    @SuppressWarnings("unchecked")
    private static <E> E uncheckedCast(Object entry) {
        return (E) entry;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] array(List<Class<? extends Throwable>> types) {
        return (Class<? extends Throwable>[]) types.toArray(new Class<?>[0]);
    }

    private RetryPolicy buildRetry(String name, EffectiveRetryPolicy policy, Retryable overrides) {
        RetryPolicyBuilder builder = RetryPolicy.builder().name(name)
                .maxAttempts(overrides != null && overrides.maxAttempts() > 0 ? overrides.maxAttempts() : policy.maxAttempts())
                .backoff(policy.backoff()).delay(policy.delay()).multiplier(policy.multiplier())
                .maxDelay(policy.maxDelay()).jitter(policy.jitter()).maxDuration(policy.maxDuration());
        List<Class<? extends Throwable>> retryOn = overrides != null && overrides.retryOn().length > 0
                ? List.of(overrides.retryOn()) : policy.retryOn();
        List<Class<? extends Throwable>> abortOn = overrides != null && overrides.abortOn().length > 0
                ? List.of(overrides.abortOn()) : policy.abortOn();
        if (!retryOn.isEmpty()) {
            builder.retryOn(array(retryOn));
        }
        if (!abortOn.isEmpty()) {
            builder.abortOn(array(abortOn));
        }
        http.apply(builder, policy.retryOnStatus(), !retryOn.isEmpty());
        if (policy.adaptive().enabled()) {
            builder.adaptive(policy.adaptive().minAttempts());
        }
        if (policy.budget().enabled()) {
            builder.sharedBudget(budgets.computeIfAbsent(name, n -> RetryBudget.create(policy.budget().ratio(),
                    policy.budget().minRetriesPerSecond(), Ticker.system())));
        }
        listeners.stream().map(l -> l.retryListener(name)).filter(Objects::nonNull).forEach(builder::listener);
        RetryPolicy built = builder.build();
        if (overrides == null) {
            listeners.forEach(l -> l.retryPolicyBuilt(name, built));
        }
        return built;
    }

    private CircuitBreakerPolicy buildBreaker(String name, EffectiveCircuitBreaker breaker) {
        CircuitBreakerPolicyBuilder builder = CircuitBreakerPolicy.builder().name(name);
        if (breaker.window() == CircuitBreakerConfig.WindowType.COUNT) {
            builder.countWindow(breaker.windowSize());
        } else {
            builder.timeWindow(breaker.windowSize());
        }
        builder.minimumCalls(breaker.minimumCalls()).failureRateThreshold(breaker.failureRateThreshold())
                .slowCallDuration(breaker.slowCallDuration()).slowCallRateThreshold(breaker.slowCallRateThreshold())
                .openDuration(breaker.openDuration()).halfOpenCalls(breaker.halfOpenCalls());
        if (!breaker.recordOn().isEmpty()) {
            builder.recordOn(array(breaker.recordOn()));
        }
        if (!breaker.ignoreOn().isEmpty()) {
            builder.ignoreOn(array(breaker.ignoreOn()));
        }
        listeners.stream().map(l -> l.circuitBreakerListener(name)).filter(Objects::nonNull).forEach(builder::listener);
        CircuitBreakerPolicy built = builder.build();
        listeners.forEach(l -> l.circuitBreakerBuilt(built));
        return built;
    }

    private TimeoutPolicy buildTimeout(String name, EffectiveTimeout timeout, Duration inlineDuration) {
        TimeoutPolicyBuilder builder = TimeoutPolicy.builder().name(name)
                .duration(inlineDuration != null ? inlineDuration : timeout.duration()).interrupt(timeout.interrupt());
        listeners.stream().map(l -> l.timeoutListener(name)).filter(Objects::nonNull).forEach(builder::listener);
        return builder.build();
    }

    private BulkheadPolicy buildBulkhead(String name, EffectiveBulkhead bulkhead) {
        BulkheadPolicyBuilder builder = BulkheadPolicy.builder().name(name)
                .maxConcurrentCalls(bulkhead.maxConcurrentCalls()).maxWait(bulkhead.maxWait());
        listeners.stream().map(l -> l.bulkheadListener(name)).filter(Objects::nonNull).forEach(builder::listener);
        BulkheadPolicy built = builder.build();
        listeners.forEach(l -> l.bulkheadBuilt(built));
        return built;
    }

    private HedgePolicy buildHedge(String name, EffectiveHedge hedge, Hedged overrides) {
        HedgePolicyBuilder builder = HedgePolicy.builder().name(name)
                .maxHedges(overrides != null && overrides.maxHedges() >= 0 ? overrides.maxHedges() : hedge.maxHedges());
        HedgeDelay delay = overrides != null && !overrides.delay().isEmpty()
                ? HedgeDelay.parse(overrides.delay()) : hedge.delay();
        if (delay instanceof HedgeDelay.Fixed fixed) {
            builder.delay(fixed.duration());
        } else if (delay instanceof HedgeDelay.Percentile percentile) {
            // Adaptive delays stay between a millisecond and ten seconds (bounds the YAML does not expose
            // yet), and start at the contract's fixed 100 ms until enough latencies have been seen:
            // starting at the lower bound would hedge nearly every early call.
            builder.delayPercentile(percentile.percentile(), Duration.ofMillis(1), Duration.ofSeconds(10))
                    .delay(INITIAL_ADAPTIVE_HEDGE_DELAY);
        }
        if (hedgeExecutor != null) {
            builder.executor(hedgeExecutor);
        }
        listeners.stream().map(l -> l.hedgeListener(name)).filter(Objects::nonNull).forEach(builder::listener);
        HedgePolicy built = builder.build();
        if (overrides == null) {
            listeners.forEach(l -> l.hedgePolicyBuilt(name, built));
        }
        return built;
    }
}
