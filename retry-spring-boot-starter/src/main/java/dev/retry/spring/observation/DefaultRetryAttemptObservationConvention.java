package dev.retry.spring.observation;

import dev.retry.spring.observation.RetryObservationDocumentation.AttemptKeys;
import io.micrometer.common.KeyValues;

/** The contract's naming of a {@code retry.attempt}: see {@link RetryObservationDocumentation#ATTEMPT}. */
public class DefaultRetryAttemptObservationConvention implements RetryAttemptObservationConvention {

    /** The name every {@code retry.attempt} observation has. */
    public static final String NAME = "retry.attempt";

    @Override
    public String getName() {
        return NAME;
    }

    /** The span's name: {@code attempt 2}, or {@code hedge 1} for a hedge of the first attempt. */
    @Override
    public String getContextualName(RetryAttemptContext context) {
        return (context.getKind() == AttemptKind.HEDGE ? "hedge " : "attempt ") + context.getAttempt();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RetryAttemptContext context) {
        KeyValues keys = KeyValues.of(
                AttemptKeys.ATTEMPT.withValue(Integer.toString(context.getAttempt())),
                AttemptKeys.KIND.withValue(context.getKind().value()));
        AttemptOutcome outcome = context.getOutcome();
        return outcome == null ? keys : keys.and(AttemptKeys.OUTCOME.withValue(outcome.value()));
    }
}
