package dev.retry.core;

import org.jspecify.annotations.Nullable;

/**
 * A call that returns a value and may throw a checked exception, which passes through unchanged.
 *
 * @param <T> the result type
 * @param <X> the checked exception the call may throw
 */
@FunctionalInterface
public interface CheckedSupplier<T extends @Nullable Object, X extends Throwable> {

    T get() throws X;
}
