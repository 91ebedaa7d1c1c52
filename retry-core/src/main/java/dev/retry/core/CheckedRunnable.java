package dev.retry.core;

/**
 * A call that returns nothing and may throw a checked exception, which passes through unchanged.
 *
 * @param <X> the checked exception the call may throw
 */
@FunctionalInterface
public interface CheckedRunnable<X extends Throwable> {

    void run() throws X;
}
