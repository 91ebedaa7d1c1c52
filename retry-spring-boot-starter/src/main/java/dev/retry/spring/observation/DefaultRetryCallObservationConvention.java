package dev.retry.spring.observation;

import dev.retry.spring.observation.RetryObservationDocumentation.CallKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/** The contract's naming of a {@code retry.call}: see {@link RetryObservationDocumentation#CALL}. */
public class DefaultRetryCallObservationConvention implements RetryCallObservationConvention {

    /** The name every {@code retry.call} observation has. */
    public static final String NAME = "retry.call";

    @Override
    public String getName() {
        return NAME;
    }

    /** The span's name: {@code retry InventoryClient.stock}. */
    @Override
    public String getContextualName(RetryCallContext context) {
        return "retry " + context.getMethod().qualifiedName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RetryCallContext context) {
        ObservedMethod method = context.getMethod();
        KeyValues keys = KeyValues.of(CallKeys.METHOD.withValue(method.qualifiedName()));
        String outcome = context.getOutcome();
        if (outcome != null) {
            keys = keys.and(CallKeys.OUTCOME.withValue(outcome));
        }
        return keys.and(policy(CallKeys.RETRY_POLICY, method.retryPolicy()))
                .and(policy(CallKeys.CIRCUIT_BREAKER, method.circuitBreaker()))
                .and(policy(CallKeys.HEDGE, method.hedge()))
                .and(policy(CallKeys.TIMEOUT, method.timeout()))
                .and(policy(CallKeys.BULKHEAD, method.bulkhead()));
    }

    private static KeyValues policy(CallKeys key, @Nullable String name) {
        return name == null ? KeyValues.empty() : KeyValues.of(KeyValue.of(key, name));
    }
}
