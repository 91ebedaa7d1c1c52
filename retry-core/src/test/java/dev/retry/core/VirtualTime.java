package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock, sleeper and scheduler that only move when a test says so: sleeping advances the clock at
 * once, and scheduled tasks run when the test advances time past them. Nothing here waits for real.
 *
 * <p>The clock starts far from zero, so code that mistakes a reading for a duration shows it.
 */
final class VirtualTime implements Ticker, Sleeper, Scheduler {

    private static final long START = 4_611_686_018_427_387_904L; // 2^62 ns: about 146 years in

    private final AtomicLong now = new AtomicLong(START);
    private final List<Long> sleeps = new ArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final List<Long> scheduledDelays = new ArrayList<>();
    private long sequence;
    private int interruptOnSleep = -1;

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Sleeping advances the clock; the n-th sleep (0-based) can be made to throw as if interrupted. */
    @Override
    public synchronized void sleep(long nanos) throws InterruptedException {
        int index = sleeps.size();
        sleeps.add(nanos);
        if (index == interruptOnSleep) {
            throw new InterruptedException("virtual interrupt during sleep " + index);
        }
        now.addAndGet(nanos);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayNanos) {
        Task scheduled = new Task(now.get() + delayNanos, sequence++, task);
        scheduledDelays.add(delayNanos);
        tasks.add(scheduled);
        notifyAll();
        return () -> {
            synchronized (VirtualTime.this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves the clock forward, running every task that falls due, in order, at its own time. */
    void advance(Duration duration) {
        long target = now.get() + duration.toNanos();
        while (true) {
            Task due;
            synchronized (this) {
                due = tasks.peek();
                if (due == null || due.at - target > 0) {
                    break;
                }
                tasks.poll();
                now.set(due.at);
            }
            due.runnable.run(); // outside the lock: a task may schedule another
        }
        now.set(target);
    }

    /** Runs every task that is due now, without moving the clock. */
    void runDueTasks() {
        advance(Duration.ZERO);
    }

    /**
     * Waits until {@code count} tasks have been scheduled since the clock was created, for tests in
     * which another thread schedules them. Returns the moment they have; its limit of real time only
     * fails a test that would otherwise hang.
     */
    synchronized void awaitScheduled(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (scheduledDelays.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + scheduledDelays.size() + " of " + count + " tasks were scheduled");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    void interruptOnSleep(int index) {
        this.interruptOnSleep = index;
    }

    synchronized List<Duration> sleeps() {
        return sleeps.stream().map(Duration::ofNanos).toList();
    }

    synchronized List<Duration> scheduledDelays() {
        return scheduledDelays.stream().map(Duration::ofNanos).toList();
    }

    synchronized int pendingTasks() {
        return tasks.size();
    }

    /** Time since the clock was created. */
    Duration elapsed() {
        return Duration.ofNanos(now.get() - START);
    }

    private record Task(long at, long sequence, Runnable runnable) implements Comparable<Task> {

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(at - START, other.at - START);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
