package dev.retry.test;

import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when a test moves it: the {@link Ticker}, {@link Sleeper} and {@link
 * Scheduler} of every policy under test, so backoff delays, open breakers, sliding windows, hedge
 * delays and timeouts elapse in an instant and the same way on every run.
 *
 * <h2>How time moves</h2>
 *
 * <ul>
 *   <li>{@link #advance(Duration)} moves the clock forward and runs every scheduled task that falls
 *       due on the way, in time order (tasks due at the same instant in the order they were
 *       scheduled), each with the clock reading its own due time. Tasks that those tasks schedule run
 *       too if they fall due before the end. Tasks run on the thread that advances.
 *   <li>{@link #sleep(long) Sleeping} advances the clock by the sleep, on the sleeping thread, running
 *       whatever falls due meanwhile, exactly as {@code advance} would. A synchronous call retried
 *       three times with 2 s delays therefore returns at once, with the clock 6 s further on. It
 *       never blocks: a test that calls a synchronous policy on its own thread needs no second thread
 *       to drive time. (The price: two threads sleeping at the same time each move the one clock, so
 *       a test with concurrent synchronous callers sees their delays add up.)
 *   <li>Nothing else moves it: reading it, scheduling on it and waiting in real time leave it where
 *       it is.
 * </ul>
 *
 * <p>An exception thrown by a task ends the {@code advance} or {@code sleep} that ran it and reaches
 * its caller, so a broken callback fails the test instead of disappearing as it would on a real
 * timer; the tasks after it stay scheduled.
 *
 * <h2>What it records</h2>
 *
 * <p>Every sleep and every scheduled delay, in order ({@link #sleeps()}, {@link #scheduledDelays()}),
 * until {@link #clearRecord()}.
 *
 * <h2>Threads</h2>
 *
 * <p>Any thread may read, sleep, schedule and cancel. Tasks run outside the clock's lock, so a task
 * may schedule, cancel or advance. Due order is guaranteed when one thread at a time drives the clock
 * (advances or sleeps); the clock never moves backwards whatever the threads do.
 *
 * <p>The clock starts at 2<sup>62</sup> ns rather than zero, so code that mistakes a reading for a
 * duration shows it; {@link #elapsed()} is the time since creation.
 */
public final class VirtualClock implements Ticker, Sleeper, Scheduler {

    private static final long ORIGIN = 1L << 62;

    private final Object lock = new Object();
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final NanosLog sleeps = new NanosLog();
    private final NanosLog scheduledDelays = new NanosLog();
    private volatile long now = ORIGIN;
    private long sequence;
    private int liveTasks;
    private int sleepToInterrupt;

    /** A clock at its origin, with nothing scheduled and nothing recorded. */
    public VirtualClock() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Time since the clock was created. */
    public Duration elapsed() {
        return Duration.ofNanos(now - ORIGIN);
    }

    /**
     * Records the sleep, then advances the clock by it, running what falls due meanwhile.
     *
     * @throws InterruptedException if the thread is interrupted (its flag is cleared, as {@link
     *     Thread#sleep} clears it), or if this is the sleep {@link #interruptSleep(int)} chose
     */
    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos must be 0 or more, but was " + nanos);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before a virtual sleep of " + Duration.ofNanos(nanos));
        }
        int ordinal;
        long deadline;
        synchronized (lock) {
            ordinal = sleeps.add(nanos);
            deadline = saturatedAdd(now, nanos);
        }
        if (ordinal == sleepToInterrupt) {
            throw new InterruptedException("virtual interrupt of sleep " + ordinal + " (" + Duration.ofNanos(nanos) + ")");
        }
        runUntil(deadline);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        Objects.requireNonNull(task, "task must not be null");
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must be 0 or more, but was " + delayNanos);
        }
        synchronized (lock) {
            scheduledDelays.add(delayNanos);
            Task scheduled = new Task(saturatedAdd(now, delayNanos), sequence++, task);
            queue.add(scheduled);
            liveTasks++;
            lock.notifyAll();
            return scheduled;
        }
    }

    /**
     * Schedules {@code task} at a moment measured from the clock's creation, or now if that moment
     * has passed: for tests and simulations that script events on a timeline.
     */
    public Cancellable at(Duration sinceCreation, Runnable task) {
        long delay = Math.max(0, ORIGIN + sinceCreation.toNanos() - now);
        return schedule(task, delay);
    }

    /** Moves the clock forward by {@code duration}, running every task that falls due, in order, at its own time. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be 0 or more, but was " + duration);
        }
        runUntil(saturatedAdd(now, duration.toNanos()));
    }

    /** Runs every task that is due now, without moving the clock. */
    public void runDueTasks() {
        runUntil(now);
    }

    /**
     * Runs every task, those that tasks schedule included, until none is left, moving the clock to each
     * in turn: how a discrete-event simulation runs to its end. Never returns while tasks keep
     * scheduling further tasks.
     */
    public void runAll() {
        runUntil(Long.MAX_VALUE);
    }

    /** Tasks scheduled and neither run nor cancelled yet. */
    public int pendingTasks() {
        synchronized (lock) {
            return liveTasks;
        }
    }

    /** Every sleep since creation (or the last {@link #clearRecord()}), in order. */
    public List<Duration> sleeps() {
        synchronized (lock) {
            return sleeps.toDurations();
        }
    }

    /** The delay of every task scheduled since creation (or the last {@link #clearRecord()}), in order. */
    public List<Duration> scheduledDelays() {
        synchronized (lock) {
            return scheduledDelays.toDurations();
        }
    }

    /**
     * Makes the {@code ordinal}-th sleep from now on (1 = the next one) throw {@link
     * InterruptedException} instead of sleeping, as if the thread had been interrupted while it
     * waited: for testing what a call does when its backoff is interrupted.
     */
    public void interruptSleep(int ordinal) {
        if (ordinal < 1) {
            throw new IllegalArgumentException("ordinal must be 1 or more, but was " + ordinal);
        }
        synchronized (lock) {
            sleepToInterrupt = sleeps.size() + ordinal;
        }
    }

    /**
     * Forgets the recorded sleeps and delays and any planned interrupt; the time and the scheduled
     * tasks stay as they are.
     */
    public void clearRecord() {
        synchronized (lock) {
            sleeps.clear();
            scheduledDelays.clear();
            sleepToInterrupt = 0;
        }
    }

    /**
     * Waits, in real time, until {@code count} delays are in the record: for a test in which another
     * thread is about to schedule what it wants to advance past. Returns as soon as they are; its
     * limit of 30 s of real time, far beyond what a loaded machine needs, only turns a test that
     * would hang into a failure.
     *
     * @throws AssertionError if fewer were scheduled within the limit
     */
    public void awaitScheduled(int count) throws InterruptedException {
        Duration realTimeLimit = Duration.ofSeconds(30);
        long limitNanos = realTimeLimit.toNanos();
        long start = System.nanoTime();
        synchronized (lock) {
            while (scheduledDelays.size() < count) {
                long left = limitNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    throw new AssertionError("only " + scheduledDelays.size() + " of " + count
                            + " tasks were scheduled within " + realTimeLimit + " of real time");
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[elapsed=" + elapsed() + ", pendingTasks=" + pendingTasks() + "]";
    }

    /** Runs the tasks due up to {@code deadline} (absolute), then moves the clock there if it is later. */
    private void runUntil(long deadline) {
        while (true) {
            Task due;
            synchronized (lock) {
                due = queue.peek();
                while (due != null && due.cancelled) {
                    queue.poll();
                    due = queue.peek();
                }
                if (due == null || due.at > deadline) {
                    if (deadline != Long.MAX_VALUE && deadline > now) {
                        now = deadline;
                    }
                    return;
                }
                queue.poll();
                due.started = true;
                liveTasks--;
                if (due.at > now) {
                    now = due.at;
                }
            }
            due.runnable.run(); // outside the lock: a task may schedule, cancel or advance
        }
    }

    private static long saturatedAdd(long base, long nanos) {
        return nanos > Long.MAX_VALUE - base ? Long.MAX_VALUE : base + nanos;
    }

    /** A scheduled task; cancelling marks it, and the queue drops it when it comes to the front. */
    private final class Task implements Comparable<Task>, Cancellable {

        final long at;
        final long order;
        final Runnable runnable;
        boolean cancelled;
        boolean started;

        Task(long at, long order, Runnable runnable) {
            this.at = at;
            this.order = order;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            synchronized (lock) {
                if (!cancelled && !started) {
                    cancelled = true;
                    liveTasks--;
                }
            }
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /**
     * Nanosecond values in a growable primitive array: a simulation schedules millions of tasks, and a
     * boxed list would turn the record into most of its garbage.
     */
    private static final class NanosLog {

        private long[] values = new long[16];
        private int size;

        /** Appends and returns the value's 1-based position. */
        int add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
            return size;
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        List<Duration> toDurations() {
            Duration[] durations = new Duration[size];
            for (int i = 0; i < size; i++) {
                durations[i] = Duration.ofNanos(values[i]);
            }
            return List.of(durations);
        }
    }
}
