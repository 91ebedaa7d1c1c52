package dev.retry.spring.registry;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.HedgePolicy;
import dev.retry.core.RetryBudget;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every instance a {@link RetryRegistry} has built, by name, and what each was built from beyond
 * its YAML entry: the state that a change while running has to reach, all of it and nothing else.
 * The maps of named entries are sorted, so that the endpoints and meters list them by name.
 */
final class LiveInstances {

    final Map<String, RetryPolicy> retryPolicies = new ConcurrentSkipListMap<>();
    /** One budget per policy name, shared by the policy and every annotation variant of it. */
    final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();

    final Map<String, RetryPolicy> retryVariants = new ConcurrentHashMap<>();
    final Map<String, CircuitBreakerPolicy> circuitBreakers = new ConcurrentSkipListMap<>();
    final Map<String, HedgePolicy> hedgePolicies = new ConcurrentSkipListMap<>();
    final Map<String, HedgePolicy> hedgeVariants = new ConcurrentHashMap<>();
    final Map<String, TimeoutPolicy> timeoutPolicies = new ConcurrentSkipListMap<>();
    final Map<String, TimeoutPolicy> timeoutVariants = new ConcurrentHashMap<>();
    final Map<String, BulkheadPolicy> bulkheads = new ConcurrentSkipListMap<>();

    /** What each variant was built from, so that a change can build it again on top of the new YAML. */
    final Map<String, Variant<Retryable>> retryVariantSources = new ConcurrentHashMap<>();

    final Map<String, Variant<Hedged>> hedgeVariantSources = new ConcurrentHashMap<>();
    final Map<String, Variant<Duration>> timeoutVariantSources = new ConcurrentHashMap<>();

    /** The breakers and bulkheads of one method each, which follow their section's {@code default}. */
    final Set<String> ownBreakers = ConcurrentHashMap.newKeySet();

    final Set<String> ownBulkheads = ConcurrentHashMap.newKeySet();

    /** A variant: the entry it varies and what the annotation sets inline. */
    record Variant<A>(String name, A inline) {}
}
