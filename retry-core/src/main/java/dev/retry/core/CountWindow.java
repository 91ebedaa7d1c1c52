package dev.retry.core;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code size} calls, in a ring of slots.
 *
 * <p>A recording thread claims the next slot by a counter, swaps its outcome into the slot and
 * corrects the running totals by the outcome it displaced. It adds its own outcome to the totals
 * <em>before</em> it swaps, so that every subtraction follows the addition it undoes: the totals may
 * briefly count a call that is still being recorded, but never go below what the slots hold, and
 * once the threads are quiet they equal the slots exactly.
 */
final class CountWindow extends SlidingWindow {

    private static final int PRESENT = 1;
    private static final int FAILED = 2;
    private static final int SLOW = 4;

    private final int size;
    private final AtomicIntegerArray slots;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicLong totals = new AtomicLong();

    CountWindow(int size) {
        this.size = size;
        this.slots = new AtomicIntegerArray(size);
    }

    @Override
    void record(boolean failed, boolean slow, long nowNanos) {
        int outcome = PRESENT | (failed ? FAILED : 0) | (slow ? SLOW : 0);
        totals.addAndGet(one(failed, slow));
        int slot = (int) Long.remainderUnsigned(cursor.getAndIncrement(), size);
        int displaced = slots.getAndSet(slot, outcome);
        if (displaced != 0) {
            totals.addAndGet(-one((displaced & FAILED) != 0, (displaced & SLOW) != 0));
        }
    }

    @Override
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
