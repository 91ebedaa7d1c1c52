package dev.retry.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names a {@code retry.attempt} observation and its keys. Declare a bean of this type to replace
 * {@link DefaultRetryAttemptObservationConvention} (extend it to keep its keys and add your own).
 */
public interface RetryAttemptObservationConvention extends ObservationConvention<RetryAttemptContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RetryAttemptContext;
    }
}
