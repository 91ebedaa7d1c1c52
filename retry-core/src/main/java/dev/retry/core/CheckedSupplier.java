package dev.retry.core;

/**
 * A call that returns a value and may throw a checked exception, which passes through unchanged.
 *
 * @param <T> the result type
 * @param <X> the checked exception the call may throw
 */
@FunctionalInterface
public interface CheckedSupplier<T, X extends Throwable> {

    T get() throws X;
}
