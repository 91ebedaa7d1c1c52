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
import java.util.concurrent.locks.LockSupport;

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

    /**
     * The monotonic clock as last read by a daemon thread that reads it at least every {@code
     * resolutionNanos}: a reading costs one volatile load rather than a call to {@link
     * System#nanoTime()} (some 25 ns on a virtual machine, twice per protected call), and may lag the
     * true time by about the resolution, more if the refreshing thread is starved of a core. For
     * measuring durations that are judged against a threshold far above the resolution. The
     * thread starts on first use and refreshes at the finest resolution anyone has asked for.
     */
    static Ticker coarseTicker(long resolutionNanos) {
        CoarseClock.INSTANCE.refreshAtLeastEvery(resolutionNanos);
        return CoarseClock.INSTANCE;
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

    /** The clock behind {@link #coarseTicker}: one volatile reading, refreshed by its own daemon thread. */
    private static final class CoarseClock implements Ticker, Runnable {

        static final CoarseClock INSTANCE = new CoarseClock();

        private volatile long now = TICKER.nanoTime();
        private volatile long periodNanos = Long.MAX_VALUE;
        private Thread refresher;

        @Override
        public long nanoTime() {
            return now;
        }

        synchronized void refreshAtLeastEvery(long resolutionNanos) {
            if (resolutionNanos >= periodNanos) {
                return;
            }
            periodNanos = resolutionNanos;
            now = TICKER.nanoTime();
            if (refresher == null) {
                refresher = new Thread(this, "retry-clock");
                refresher.setDaemon(true);
                refresher.start();
            } else {
                LockSupport.unpark(refresher); // so that a long park does not delay the finer period
            }
        }

        @Override
        public void run() {
            while (true) {
                LockSupport.parkNanos(this, periodNanos);
                now = TICKER.nanoTime();
            }
        }
    }
}
