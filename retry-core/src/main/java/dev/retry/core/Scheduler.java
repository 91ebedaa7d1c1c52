package dev.retry.core;

/**
 * Runs a task after a delay without blocking anyone, the only way asynchronous calls wait between
 * attempts.
 *
 * <p>Tests pass a scheduler driven by a virtual clock.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Arranges for {@code task} to run once, {@code delayNanos} from now.
     *
     * @param task what to run
     * @param delayNanos the delay in nanoseconds; zero or more
     * @return a handle that cancels the task if it has not started yet
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /**
     * A shared daemon timer thread that hands every due task to {@link
     * java.util.concurrent.ForkJoinPool#commonPool()}, so a slow task never delays the timer.
     */
    static Scheduler system() {
        return SystemTime.scheduler();
    }

    /** A handle on a scheduled task. */
    @FunctionalInterface
    interface Cancellable {

        /** Cancels the task if it has not started; does nothing otherwise. */
        void cancel();
    }
}
