package dev.retry.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real clock, sleeper, timer and random numbers, and the threads hedged attempts run on by
 * default: the one place that touches them.
 */
final class SystemTime {

    static final Ticker TICKER = System::nanoTime;

    static final Sleeper SLEEPER = nanos -> {
        // Checked first so that an interrupt is never missed, whatever the JDK does for short sleeps.
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        TimeUnit.NANOSECONDS.sleep(nanos);
    };

    static final RandomSource RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    private SystemTime() {
    }

    static Scheduler scheduler() {
        return SharedScheduler.INSTANCE;
    }

    static Executor hedgeExecutor() {
        return HedgeThreads.INSTANCE;
    }

    /**
     * A cached pool of daemon threads for the attempts of synchronous hedged calls. Attempts block
     * (that is why they are hedged), so they get threads of their own rather than the common
     * fork-join pool, whose few threads they would starve; idle threads go after a minute. Created on
     * first use only.
     */
    private static final class HedgeThreads {

        static final ExecutorService INSTANCE = newPool();

        private static ExecutorService newPool() {
            AtomicInteger count = new AtomicInteger();
            return Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "retry-hedge-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Created on first use only, so that synchronous users never start a thread. */
    private static final class SharedScheduler implements Scheduler {

        static final SharedScheduler INSTANCE = new SharedScheduler();

        private final ScheduledThreadPoolExecutor timer;

        private SharedScheduler() {
            timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "retry-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            // Cancelled retries must not pile up in the queue until their time comes.
            timer.setRemoveOnCancelPolicy(true);
        }

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            ScheduledFuture<?> future = timer.schedule(
                    () -> ForkJoinPool.commonPool().execute(task), delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
