package dev.retry.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls of the last {@code seconds} seconds, in one bucket per second.
 *
 * <p>A bucket is an {@link AtomicLong} of packed counts that knows its second. Recording adds to
 * the bucket of the current second; the first thread of a new second swaps a fresh bucket into the
 * ring slot with a compare-and-set. So memory is a ring of {@code seconds} buckets whatever the
 * call rate, and the only allocation is one small bucket per second that sees a call. A bucket is
 * never reset in place, so no count can be lost to a reset racing with a recording.
 */
final class TimeWindow extends SlidingWindow {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int seconds;
    private final long origin;
    private final AtomicReferenceArray<Bucket> ring;

    TimeWindow(int seconds, long originNanos) {
        this.seconds = seconds;
        this.origin = originNanos;
        this.ring = new AtomicReferenceArray<>(seconds);
    }

    @Override
    long record(boolean failed, boolean slow, long nowNanos) {
        long second = secondOf(nowNanos);
        int slot = (int) Long.remainderUnsigned(second, seconds);
        while (true) {
            Bucket bucket = ring.get(slot);
            if (bucket != null && bucket.second >= second) {
                // The current second's bucket, or (for a thread whose clock reading is slightly
                // older than another's) a newer one: either way the call belongs in the window.
                bucket.addAndGet(one(failed, slow));
                return totals(nowNanos);
            }
            ring.compareAndSet(slot, bucket, new Bucket(second));
        }
    }

    @Override
    long totals(long nowNanos) {
        long first = secondOf(nowNanos) - seconds;
        long calls = 0;
        long failures = 0;
        long slow = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = ring.get(i);
            if (bucket != null && bucket.second > first) {
                long counts = bucket.get();
                calls += calls(counts);
                failures += failures(counts);
                slow += slowCalls(counts);
            }
        }
        // Saturate rather than overflow the packed fields; rates stay right to within a hair.
        long divisor = Math.max(1, (calls + CALLS_MASK - 1) / CALLS_MASK);
        return (calls / divisor) | ((failures / divisor) << FAILURE_SHIFT) | ((slow / divisor) << SLOW_SHIFT);
    }

    private long secondOf(long nowNanos) {
        return Math.floorDiv(nowNanos - origin, NANOS_PER_SECOND);
    }

    /** One second's packed counts. */
    private static final class Bucket extends AtomicLong {

        private static final long serialVersionUID = 1L;

        final long second;

        Bucket(long second) {
            this.second = second;
        }
    }
}
