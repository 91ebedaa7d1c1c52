package dev.retry.core;

/**
 * The threads the core starts by itself, and how to end them.
 *
 * <p>Only policies built without a scheduler, executor or ticker of their own start any, each on
 * first use: {@code retry-scheduler} (the timer of {@link Scheduler#system()}: asynchronous retries'
 * backoff, hedge delays, asynchronous deadlines, bulkhead waits), {@code retry-timeout} (the
 * watchdog of synchronous deadlines, {@link TimeoutWatchdog}), {@code retry-hedge-N} (the attempts of
 * synchronous hedged calls) and {@code retry-clock} (the coarse clock a circuit breaker on the system
 * clock times its calls with). They are daemon threads, so they never keep a JVM from exiting, but
 * they live as long as it does unless stopped, and hold the class loader that started them: an
 * application that is undeployed from a server while the JVM runs on (or a test suite that starts
 * many) should call {@link #stop()} as it shuts down. The Spring Boot starter does so when the
 * application context closes.
 */
public final class CoreThreads {

    private CoreThreads() {}

    /**
     * Ends the core's threads. Tasks the timer holds still run when they are due, and hedged
     * attempts that are running finish; each thread ends after its last task. Nothing breaks for a
     * policy used afterwards: the next task that needs a thread starts a fresh one, and a breaker's
     * coarse clock reads the exact clock until a new breaker asks for it again.
     */
    public static void stop() {
        SystemTime.stopThreads();
    }

    /**
     * Wakes {@code parked}, one of these threads that only ever parks and has already been told to
     * end, and waits until it has; an interrupt meanwhile is kept for the caller rather than cutting
     * the wait short, so that nothing of the thread outlives the stop.
     */
    static void endParked(Thread parked) {
        java.util.concurrent.locks.LockSupport.unpark(parked);
        boolean interrupted = false;
        while (true) {
            try {
                parked.join(); // it ends at once: it only ever parks, and has just been unparked
                break;
            } catch (InterruptedException interrupt) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
