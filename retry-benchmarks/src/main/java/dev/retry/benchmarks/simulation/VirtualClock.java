package dev.retry.benchmarks.simulation;

import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import java.util.PriorityQueue;

/**
 * A discrete-event clock: time stands still until the loop pops the next event, then jumps to it.
 * The core policies read it as their {@link Ticker}, wait on it as their {@link Scheduler}, so a
 * minute of traffic runs in well under a second and every run with the same seeds is the same.
 *
 * <p>Single-threaded by design: every event runs on the thread that calls {@link #run}, and
 * {@link java.util.concurrent.CompletableFuture} callbacks run inline on it, so no lock is needed.
 * Events due at the same instant run in the order they were scheduled, which keeps runs
 * reproducible.
 */
public final class VirtualClock implements Ticker, Sleeper, Scheduler {

    /**
     * Where time starts. Not zero: the core only reads differences, and an arbitrary origin makes
     * sure nothing in it quietly relies on a reading of zero.
     */
    static final long ORIGIN = 1_000_000_000_000L;

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now = ORIGIN;
    private long sequence;

    @Override
    public long nanoTime() {
        return now;
    }

    /** Nanoseconds since the clock was created: what scenarios measure against. */
    public long elapsed() {
        return now - ORIGIN;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must be 0 or more, but was " + delayNanos);
        }
        Event event = new Event(now + delayNanos, sequence++, task);
        queue.add(event);
        return event;
    }

    /** Schedules {@code task} at {@code elapsedNanos} since the clock was created. */
    public Cancellable at(long elapsedNanos, Runnable task) {
        return schedule(task, Math.max(0, ORIGIN + elapsedNanos - now));
    }

    /**
     * Sleeping is running the events due meanwhile and arriving at the end: a synchronous caller
     * on the loop's own thread sees the world move on while it waits, as it would in real time.
     */
    @Override
    public void sleep(long nanos) {
        runUntil(now + nanos);
    }

    /** Runs every event, those that events schedule included, until none is left. */
    public void run() {
        runUntil(Long.MAX_VALUE);
    }

    /** Runs the events due up to {@code deadline} (absolute), then sets the time to it if it is later. */
    private void runUntil(long deadline) {
        while (!queue.isEmpty() && queue.peek().time <= deadline) {
            Event event = queue.poll();
            if (event.cancelled) {
                continue;
            }
            now = event.time;
            event.task.run();
        }
        if (deadline != Long.MAX_VALUE && deadline > now) {
            now = deadline;
        }
    }

    /** Events still waiting, the cancelled ones included until they are popped. */
    int pending() {
        return queue.size();
    }

    private static final class Event implements Comparable<Event>, Cancellable {
        final long time;
        final long order;
        final Runnable task;
        boolean cancelled;

        Event(long time, long order, Runnable task) {
            this.time = time;
            this.order = order;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
