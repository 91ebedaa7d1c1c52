package dev.retry.spring.observation;

import org.jspecify.annotations.Nullable;

/**
 * How the interceptor learns, once per annotated method when it resolves its plan, whether and how
 * that method's calls are observed. Free of Micrometer types, so the interceptor loads without
 * Micrometer; {@link RetryObservations} is the implementation the starter configures.
 */
@FunctionalInterface
public interface MethodObservers {

    /** Observes nothing: every method's calls run exactly as without observations. */
    MethodObservers NONE = method -> null;

    /**
     * The observer of {@code method}'s calls, or {@code null} when they are not observed (no
     * registry, or one that records nothing): the call path then does no extra work at all.
     */
    @Nullable
    MethodObserver forMethod(ObservedMethod method);
}
