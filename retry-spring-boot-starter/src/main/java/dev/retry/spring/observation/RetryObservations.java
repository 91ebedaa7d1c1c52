package dev.retry.spring.observation;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@code retry.call} and {@code retry.attempt} observations of every annotated method, made in
 * an {@link ObservationRegistry}.
 *
 * <p>Whether anything is observed is decided once per method, when its plan is resolved at start-up:
 * with a registry that records nothing ({@link ObservationRegistry#NOOP}, or one without a handler)
 * {@link #forMethod} answers {@code null}, and that method's calls run exactly as they would without
 * observations, allocating nothing more. A handler registered only after the beans were created is
 * therefore not seen (Spring Boot registers its handlers when it creates the registry).
 */
public final class RetryObservations implements MethodObservers {

    private final ObservationRegistry registry;
    private final @Nullable RetryCallObservationConvention callConvention;
    private final @Nullable RetryAttemptObservationConvention attemptConvention;

    /**
     * @param callConvention replaces {@link DefaultRetryCallObservationConvention}; {@code null} for
     *     the default (or one registered globally with the registry)
     * @param attemptConvention replaces {@link DefaultRetryAttemptObservationConvention}, likewise
     */
    public RetryObservations(
            ObservationRegistry registry,
            @Nullable RetryCallObservationConvention callConvention,
            @Nullable RetryAttemptObservationConvention attemptConvention) {
        this.registry = registry;
        this.callConvention = callConvention;
        this.attemptConvention = attemptConvention;
    }

    @Override
    public @Nullable MethodObserver forMethod(ObservedMethod method) {
        if (registry.isNoop()) {
            return null;
        }
        boolean hedged = method.hedge() != null;
        boolean retried = method.retryPolicy() != null;
        return () -> ObservedCall.start(registry, callConvention, attemptConvention, method, hedged, retried);
    }
}
