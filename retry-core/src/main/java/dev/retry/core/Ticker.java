package dev.retry.core;

/**
 * A source of monotonic time in nanoseconds, the only way the engine reads the clock.
 *
 * <p>Only differences between two readings are meaningful, as with {@link System#nanoTime()}.
 * Tests pass a ticker they advance by hand, so that every time-dependent behaviour is checked in
 * virtual time.
 */
@FunctionalInterface
public interface Ticker {

    /** Returns the current reading, in nanoseconds. */
    long nanoTime();

    /** The JVM's monotonic clock. */
    static Ticker system() {
        return SystemTime.TICKER;
    }
}
