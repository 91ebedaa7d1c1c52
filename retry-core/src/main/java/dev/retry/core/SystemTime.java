package dev.retry.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

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

    private SystemTime() {}

    /**
     * The monotonic clock as last read by a daemon thread that reads it at least every {@code
     * resolutionNanos}: a reading costs one volatile load rather than a call to {@link
     * System#nanoTime()} (some 25 ns on a virtual machine, twice per protected call), and may lag the
     * true time by about the resolution, more if the refreshing thread is starved of a core. For
     * measuring durations that are judged against a threshold far above the resolution. The
     * thread starts on first use and refreshes at the finest resolution anyone has asked for; after
     * {@link CoreThreads#stop()} the ticker reads the exact clock until the next call of this method.
     */
    static Ticker coarseTicker(long resolutionNanos) {
        CoarseClock.INSTANCE.refreshAtLeastEvery(resolutionNanos);
        return CoarseClock.INSTANCE;
    }

    static Scheduler scheduler() {
        return SharedScheduler.INSTANCE;
    }

    /**
     * Where the attempts of synchronous hedged calls run when the policy was given no executor: on a
     * thread of the caller's kind, a virtual thread of its own for a caller on a virtual thread, a
     * platform thread from a cached pool for any other.
     */
    static Executor hedgeExecutor() {
        return HedgeThreads.INSTANCE;
    }

    /** Whether this JDK has virtual threads that {@link #hedgeExecutor()} can start. */
    static boolean hasVirtualThreads() {
        return VirtualThreads.FACTORY != null;
    }

    /** Ends every thread of ours; see {@link CoreThreads#stop()}. */
    static void stopThreads() {
        CoarseClock.INSTANCE.stop();
        SharedScheduler.INSTANCE.stop();
        HedgeThreads.INSTANCE.stop();
        TimeoutWatchdog.stop();
    }

    /**
     * Virtual threads, found at run time: the core is compiled for JDK 17, which has none.
     *
     * <p>Why the caller's kind decides. From a caller on a virtual thread, an attempt on a virtual
     * thread of its own costs a few microseconds: the caller parks, its carrier runs the attempt,
     * and no platform thread is woken. From a platform caller, every hop wakes a parked platform
     * thread and then the caller, some 20 us on a loaded virtual machine whichever kind runs the
     * attempt, and a virtual thread adds its carrier's own wake-up on top. And user code that runs
     * on platform threads is not moved onto virtual ones behind its back: before JDK 24 (JEP 491)
     * a virtual thread that blocks inside a {@code synchronized} block pins its carrier, and
     * attempts are blocking calls into code we do not know. A caller already on a virtual thread has
     * made that choice for its code.
     */
    private static final class VirtualThreads {

        /** Starts virtual threads, each named {@code retry-hedge}; {@code null} before JDK 21. */
        static final @Nullable ThreadFactory FACTORY;

        /** {@code Thread::isVirtual}; {@code null} before JDK 21. */
        static final @Nullable MethodHandle IS_VIRTUAL;

        static {
            ThreadFactory factory = null;
            MethodHandle isVirtual = null;
            try {
                // Thread.ofVirtual().name("retry-hedge").factory(), without naming JDK 21 types.
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Class<?> builderType = Class.forName("java.lang.Thread$Builder");
                builder = builderType.getMethod("name", String.class).invoke(builder, "retry-hedge");
                factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
                isVirtual = MethodHandles.publicLookup()
                        .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
            } catch (ReflectiveOperationException | RuntimeException noVirtualThreads) {
                factory = null; // JDK 17 to 20: every attempt runs on the platform pool
                isVirtual = null;
            }
            FACTORY = factory;
            IS_VIRTUAL = isVirtual;
        }

        private VirtualThreads() {}

        /** Starts {@code attempt} on a virtual thread if the calling thread is one; returns whether it did. */
        static boolean startIfCallerIsVirtual(Runnable attempt) {
            ThreadFactory factory = FACTORY;
            MethodHandle isVirtual = IS_VIRTUAL;
            if (factory == null || isVirtual == null || !isVirtual(isVirtual)) {
                return false;
            }
            factory.newThread(attempt).start();
            return true;
        }

        private static boolean isVirtual(MethodHandle isVirtual) {
            try {
                return (boolean) isVirtual.invokeExact(Thread.currentThread());
            } catch (Throwable impossible) {
                throw new IllegalStateException("Thread.isVirtual() failed", impossible);
            }
        }
    }

    /**
     * A cached pool of daemon threads for the attempts of synchronous hedged calls made on platform
     * threads (see {@link VirtualThreads} for the others). Attempts block
     * (that is why they are hedged), so they get threads of their own rather than the common
     * fork-join pool, whose few threads they would starve; idle threads go after a minute. The pool
     * is made on first use, and made afresh on the first use after {@link #stop()}: policies hold
     * this executor, not the pool.
     */
    private static final class HedgeThreads implements Executor {

        static final HedgeThreads INSTANCE = new HedgeThreads();

        private final AtomicInteger count = new AtomicInteger();
        private volatile @Nullable ExecutorService pool;

        @Override
        public void execute(Runnable attempt) {
            if (VirtualThreads.startIfCallerIsVirtual(attempt)) {
                return; // a virtual thread ends with its attempt: nothing of it to stop
            }
            while (true) {
                ExecutorService current = pool();
                try {
                    current.execute(attempt);
                    return;
                } catch (RejectedExecutionException stoppedMeanwhile) {
                    replace(current);
                }
            }
        }

        private ExecutorService pool() {
            ExecutorService current = pool;
            return current != null ? current : start();
        }

        private synchronized ExecutorService start() {
            if (pool == null) {
                pool = Executors.newCachedThreadPool(runnable -> {
                    Thread thread = new Thread(runnable, "retry-hedge-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return pool;
        }

        private synchronized void replace(ExecutorService stopped) {
            if (pool == stopped) {
                pool = null;
            }
        }

        /** Running attempts finish; their threads end then. */
        synchronized void stop() {
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    /**
     * One daemon timer thread, made on first use (so that synchronous users never start a thread)
     * and made afresh on the first use after {@link #stop()}.
     */
    private static final class SharedScheduler implements Scheduler {

        static final SharedScheduler INSTANCE = new SharedScheduler();

        private volatile @Nullable ScheduledThreadPoolExecutor timer;

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            while (true) {
                ScheduledThreadPoolExecutor current = timer();
                try {
                    ScheduledFuture<?> future = current.schedule(
                            () -> ForkJoinPool.commonPool().execute(task), delayNanos, TimeUnit.NANOSECONDS);
                    return () -> future.cancel(false);
                } catch (RejectedExecutionException stoppedMeanwhile) {
                    replace(current);
                }
            }
        }

        /** One volatile read on every call but the first: deadlines arm a timer per attempt. */
        private ScheduledThreadPoolExecutor timer() {
            ScheduledThreadPoolExecutor current = timer;
            return current != null ? current : start();
        }

        private synchronized ScheduledThreadPoolExecutor start() {
            if (timer == null) {
                timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                    Thread thread = new Thread(runnable, "retry-scheduler");
                    thread.setDaemon(true);
                    return thread;
                });
                // Cancelled retries must not pile up in the queue until their time comes.
                timer.setRemoveOnCancelPolicy(true);
            }
            return timer;
        }

        private synchronized void replace(ScheduledThreadPoolExecutor stopped) {
            if (timer == stopped) {
                timer = null;
            }
        }

        /**
         * Tasks already scheduled still run when they are due (a retry waiting out its backoff, a
         * deadline): dropping them would leave their calls' futures never completed. The thread ends
         * after the last of them.
         */
        synchronized void stop() {
            if (timer != null) {
                timer.shutdown();
                timer = null;
            }
        }
    }

    /**
     * The clock behind {@link #coarseTicker}: one volatile reading, refreshed by its own daemon
     * thread. Once stopped, it reads the exact clock until a breaker asks for it again.
     */
    private static final class CoarseClock implements Ticker, Runnable {

        static final CoarseClock INSTANCE = new CoarseClock();

        /** A reading no refresher ever leaves, so that it can stand for "stopped: read the real clock". */
        private static final long STOPPED = Long.MIN_VALUE;

        private volatile long now = STOPPED;
        private volatile long periodNanos = Long.MAX_VALUE;
        /** The thread that refreshes {@link #now}; a thread that finds it is no longer this one ends. */
        private volatile @Nullable Thread refresher;

        @Override
        public long nanoTime() {
            long reading = now;
            return reading != STOPPED ? reading : TICKER.nanoTime();
        }

        synchronized void refreshAtLeastEvery(long resolutionNanos) {
            if (resolutionNanos < periodNanos) {
                periodNanos = resolutionNanos;
            } else if (refresher != null) {
                return;
            }
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
            Thread me = Thread.currentThread();
            while (refresher == me) {
                LockSupport.parkNanos(this, periodNanos);
                if (refresher == me) { // stop() may have come while this thread was parked
                    now = TICKER.nanoTime();
                }
            }
        }

        synchronized void stop() {
            Thread stopping = refresher;
            if (stopping == null) {
                return;
            }
            refresher = null;
            CoreThreads.endParked(stopping);
            now = STOPPED; // after the join, so that no last refresh overwrites it
        }
    }
}
