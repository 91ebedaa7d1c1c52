package dev.retry.core;

/**
 * Blocks the calling thread between synchronous attempts, the only way the engine waits.
 *
 * <p>An implementation must throw {@link InterruptedException} when the thread is interrupted
 * while it waits. Tests pass a sleeper that advances a virtual clock instead of waiting.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for the given time.
     *
     * @param nanos how long to wait, in nanoseconds; always positive
     * @throws InterruptedException if the thread is interrupted before or while it waits
     */
    void sleep(long nanos) throws InterruptedException;

    /** Sleeps on the calling thread. */
    static Sleeper system() {
        return SystemTime.SLEEPER;
    }
}
