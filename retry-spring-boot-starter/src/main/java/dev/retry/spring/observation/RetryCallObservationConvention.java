package dev.retry.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names a {@code retry.call} observation and its keys. Declare a bean of this type to replace
 * {@link DefaultRetryCallObservationConvention} (extend it to keep its keys and add your own).
 */
public interface RetryCallObservationConvention extends ObservationConvention<RetryCallContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RetryCallContext;
    }
}
