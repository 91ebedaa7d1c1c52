package dev.retry.core;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code size} calls, in a ring of slots.
 *
 * <p>A recording thread claims the next slot by a counter, swaps its outcome into the slot and
 * corrects the running totals by the outcome it displaced. An outcome that carries a failure or a
 * slow call is added to the totals <em>before</em> it is swapped into its slot, so that whoever
 * later displaces it subtracts counts that are already there: no field of the packed totals can
 * dip below zero and borrow from its neighbour, however threads interleave. A clean success needs
 * no such care: it only ever changes the call count, which displacing never lowers.
 *
 * <h2>The healthy shortcut</h2>
 *
 * <p>Once the ring is full of clean successes, recording one more changes nothing anyone could
 * observe: the oldest success gives way to a new one, and a ring whose slots are all alike looks
 * the same from every position. So a clean success into such a window is a single read of the
 * totals and no write at all, which is also what keeps a breaker shared by many threads free of
 * contention while its service is healthy. The totals show a full, clean ring only when every slot
 * holds a clean success (a failure or slow call is counted before it lands in a slot and until after
 * it has left), so the shortcut never skips a call that would have displaced anything that mattered;
 * a success that takes it while another thread is recording a failure simply counts as having come
 * first.
 */
final class CountWindow extends SlidingWindow {

    private static final int PRESENT = 1;
    private static final int FAILED = 2;
    private static final int SLOW = 4;
    private static final long CLEAN_SUCCESS = one(false, false);

    private final int size;
    /** The packed totals of a ring full of clean successes. */
    private final long fullAndClean;

    private final AtomicIntegerArray slots;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicLong totals = new AtomicLong();

    CountWindow(int size) {
        this.size = size;
        this.fullAndClean = size * CLEAN_SUCCESS;
        this.slots = new AtomicIntegerArray(size);
    }

    /** Records one call; returns the packed totals it leaves. */
    long record(boolean failed, boolean slow, long nowNanos) {
        long mine = one(failed, slow);
        boolean clean = mine == CLEAN_SUCCESS;
        if (clean) {
            long current = totals.get();
            if (current == fullAndClean) {
                return current;
            }
        } else {
            totals.addAndGet(mine);
        }
        int outcome = PRESENT | (failed ? FAILED : 0) | (slow ? SLOW : 0);
        int slot = (int) Long.remainderUnsigned(cursor.getAndIncrement(), size);
        int displaced = slots.getAndSet(slot, outcome);
        long correction =
                (clean ? mine : 0L) - (displaced == 0 ? 0L : one((displaced & FAILED) != 0, (displaced & SLOW) != 0));
        return correction == 0L ? totals.get() : totals.addAndGet(correction);
    }

    @Override
    boolean recordAndJudge(
            boolean failed,
            boolean slow,
            long nowNanos,
            int minimumCalls,
            float failureRateThreshold,
            float slowCallRateThreshold) {
        return exceeds(record(failed, slow, nowNanos), minimumCalls, failureRateThreshold, slowCallRateThreshold);
    }

    @Override
    Counts counts(long nowNanos) {
        return Counts.unpack(totals.get());
    }

    /** The packed totals of the calls in the ring. */
    long totals(long nowNanos) {
        return totals.get();
    }

    /** Counts the slots one by one; for tests that check the running totals add up. */
    long recount() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            int outcome = slots.get(i);
            if (outcome != 0) {
                sum += one((outcome & FAILED) != 0, (outcome & SLOW) != 0);
            }
        }
        return sum;
    }
}
