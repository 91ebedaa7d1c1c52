package dev.retry.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls of the last {@code seconds} seconds, counted exactly at any volume, at a cost per call
 * that does not depend on how many seconds the window spans.
 *
 * <h2>How it counts</h2>
 *
 * <p>Three counters hold every call, failure and slow call the window has seen since it was made;
 * they only ever grow, and as 64-bit numbers they cannot overflow in the life of any process. As
 * each second begins, the first thread to notice it leaves a <em>mark</em>: the three counts as they
 * stood then, in a ring of one mark per second of the window. The calls of the window are then the
 * counts now minus the counts at the mark of the window's first second: one subtraction, whatever
 * the window's size. A second in which nobody called gets its mark from the next caller, together
 * with the second it calls in, so marks never go missing; filling them costs one small object per
 * second elapsed, never more than the window's size, however long the breaker sat idle.
 *
 * <h2>Why not buckets</h2>
 *
 * <p>A ring of per-second buckets, summed on every call, costs a read per second of the window on
 * every call (3,600 for an hour), and packing a second's counts into one {@code long} caps what a
 * bucket can hold: the window this replaces folded its failure count into the slow-call count past
 * two million failures, and so reported 30 % after a full minute of total outage at 50,000 calls per
 * second, and stayed closed.
 *
 * <h2>Under contention</h2>
 *
 * <p>A recording thread places its mark before it counts, so its own call always falls inside the
 * window it judges. A call that ends just as a second turns may be counted with the second next to
 * it (its thread's clock reading and the mark race), which moves it by a second and never loses or
 * doubles it. Each count is one atomic add; a call is counted before its failure and its slowness,
 * and marks and readers read them the other way round, so a call counted after a mark brings its
 * failure along; a reader reads the mark before the counts, so none it sees is negative, and it
 * caps failures and slow calls at the calls.
 */
final class TimeWindow extends SlidingWindow {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int seconds;
    private final long origin;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong slowCalls = new AtomicLong();
    /** The mark of second {@code s} is in slot {@code s % seconds}, until second {@code s + seconds} takes it. */
    private final AtomicReferenceArray<Mark> marks;
    /** Every second up to this one has its mark (or a later second has taken its slot). */
    private final AtomicLong markedThrough = new AtomicLong();

    TimeWindow(int seconds, long originNanos) {
        this.seconds = seconds;
        this.origin = originNanos;
        this.marks = new AtomicReferenceArray<>(seconds);
    }

    @Override
    boolean recordAndJudge(
            boolean failed,
            boolean slow,
            long nowNanos,
            int minimumCalls,
            float failureRateThreshold,
            float slowCallRateThreshold) {
        long second = secondOf(nowNanos);
        markThrough(second);
        calls.incrementAndGet();
        if (failed) {
            failures.incrementAndGet();
        }
        if (slow) {
            slowCalls.incrementAndGet();
        }
        Mark start = startOfWindow(second);
        long windowCalls = calls.get() - start.calls;
        return exceeds(
                windowCalls,
                Math.min(failures.get() - start.failures, windowCalls),
                Math.min(slowCalls.get() - start.slowCalls, windowCalls),
                minimumCalls,
                failureRateThreshold,
                slowCallRateThreshold);
    }

    @Override
    Counts counts(long nowNanos) {
        long second = secondOf(nowNanos);
        markThrough(second);
        Mark start = startOfWindow(second);
        long slow = slowCalls.get() - start.slowCalls;
        long failed = failures.get() - start.failures;
        long windowCalls = calls.get() - start.calls;
        return new Counts(windowCalls, Math.min(failed, windowCalls), Math.min(slow, windowCalls));
    }

    /** The mark the window ending with {@code second} starts from; all zeros while the window is younger than its size. */
    private Mark startOfWindow(long second) {
        long first = second - seconds + 1;
        if (first <= 0) {
            return Mark.ZERO;
        }
        // At or after first: a thread whose clock reading lags another's may find the next second's
        // mark there already, and then judges a window a second shorter, which is all it can tell.
        return marks.get(slotOf(first));
    }

    /** Leaves the marks of every second up to {@code second} that has none yet. */
    private void markThrough(long second) {
        long marked = markedThrough.get();
        if (marked >= second) {
            return;
        }
        // Seconds older than the window's first will never be asked for: their slots are reused.
        for (long s = Math.max(marked + 1, second - seconds + 1); s <= second; s++) {
            int slot = slotOf(s);
            Mark existing = marks.get(slot);
            if (existing == null || existing.second < s) {
                // No call has been counted in second s by a thread that marked it: these are its start.
                // Read in the opposite order to the counting, so that a call after the mark brings its
                // failure and its slowness along.
                long slow = slowCalls.get();
                long failed = failures.get();
                marks.compareAndSet(slot, existing, new Mark(s, calls.get(), failed, slow));
            }
        }
        while (marked < second && !markedThrough.compareAndSet(marked, second)) {
            marked = markedThrough.get();
        }
    }

    private int slotOf(long second) {
        return (int) (second % seconds);
    }

    /** Seconds since the window was made; a clock reading from just before that counts as second 0. */
    private long secondOf(long nowNanos) {
        return Math.max(0L, Math.floorDiv(nowNanos - origin, NANOS_PER_SECOND));
    }

    /** The counts as a second began. */
    private static final class Mark {

        static final Mark ZERO = new Mark(0L, 0L, 0L, 0L);

        final long second;
        final long calls;
        final long failures;
        final long slowCalls;

        Mark(long second, long calls, long failures, long slowCalls) {
            this.second = second;
            this.calls = calls;
            this.failures = failures;
            this.slowCalls = slowCalls;
        }
    }
}
