package dev.retry.core;

/**
 * The source of randomness for jitter, so that tests can fix the values drawn.
 *
 * <p>Implementations must be safe to call from many threads at once.
 */
@FunctionalInterface
public interface RandomSource {

    /**
     * Returns a value drawn uniformly from {@code [0, 1)}. A value outside it (or NaN) is taken as
     * the nearest end of the range, so that a broken source cannot make a delay negative or longer
     * than {@code maxDelay}.
     */
    double nextDouble();

    /** Thread-local random numbers, uncontended under any number of threads. */
    static RandomSource system() {
        return SystemTime.RANDOM;
    }
}
