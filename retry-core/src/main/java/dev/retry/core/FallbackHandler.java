package dev.retry.core;

import org.jspecify.annotations.Nullable;

/**
 * Answers in place of a call that failed.
 *
 * @param <X> the failures this handler takes
 */
@FunctionalInterface
public interface FallbackHandler<X extends Throwable> {

    /**
     * Returns the value to give the caller instead of the failure; for a call made with {@link
     * FallbackPolicy#callAsync}, a {@link java.util.concurrent.CompletionStage} is waited for.
     *
     * @param failure what the call threw
     * @param argument the argument of the call ({@code null} for calls made without one)
     * @throws Throwable to fail the call after all; the original failure is attached as suppressed
     */
    @Nullable
    Object apply(X failure, @Nullable Object argument) throws Throwable;
}
