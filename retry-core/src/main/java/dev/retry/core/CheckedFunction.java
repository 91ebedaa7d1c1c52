package dev.retry.core;

import org.jspecify.annotations.Nullable;

/**
 * A call that takes one argument, returns a value and may throw a checked exception.
 *
 * <p>Passing the argument separately lets a caller reuse one function object for every call (a
 * method reference to a static method, say) instead of allocating a capturing lambda per call.
 *
 * @param <A> the argument type
 * @param <T> the result type
 * @param <X> the checked exception the call may throw
 */
@FunctionalInterface
public interface CheckedFunction<A extends @Nullable Object, T extends @Nullable Object, X extends Throwable> {

    T apply(A argument) throws X;
}
