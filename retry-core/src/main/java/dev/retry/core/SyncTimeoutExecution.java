package dev.retry.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The deadline of one synchronous attempt: the timer's task and the state it races the attempt's
 * end for. {@link TimeoutPolicy}'s essay explains the states and why the interrupt can neither stray
 * nor stay behind; this class is just that machine.
 *
 * <p>It is the one object a timed call allocates (beside the scheduler's own): the state lives here,
 * in a plain {@code int} changed through a {@link VarHandle}, rather than in an atomic object of its
 * own, and the object itself is the task handed to the scheduler.
 */
final class SyncTimeoutExecution implements Runnable {

    /** The attempt is running; the first to leave this state decides the race. */
    static final int RUNNING = 0;
    /** The attempt returned first: the timer, whenever it fires, does nothing. */
    static final int FINISHED = 1;
    /** The timer won and is delivering its interrupt; the attempt's end must wait for it to land. */
    static final int INTERRUPTING = 2;
    /** The timer won and its interrupt has landed: the attempt's end clears it. */
    static final int INTERRUPTED = 3;
    /** The timer won and delivered no interrupt (off, or the thread was interrupted already). */
    static final int EXPIRED = 4;

    /** Enough for an interrupt in progress on a running thread; beyond it the interrupter is not running. */
    static final int SPINS_BEFORE_YIELDING = 128;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SyncTimeoutExecution.class, "state", int.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private final Thread caller;
    private final boolean interrupt;

    @SuppressWarnings("unused") // read and written through STATE
    private volatile int state;

    SyncTimeoutExecution(Thread caller, boolean interrupt) {
        this.caller = caller;
        this.interrupt = interrupt;
    }

    /** The deadline: runs on the scheduler's thread (or, in tests, on any thread at any moment). */
    @Override
    public void run() {
        if (!interrupt) {
            STATE.compareAndSet(this, RUNNING, EXPIRED);
            return;
        }
        if (!STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
            return; // the attempt has returned: its thread is no longer ours to interrupt
        }
        if (caller.isInterrupted()) {
            // Someone else asked the thread to stop before us. Adding our interrupt would merge with
            // theirs into one bit that the caller could then not keep; theirs does our job already.
            STATE.setVolatile(this, EXPIRED);
            return;
        }
        caller.interrupt();
        // Only after the interrupt has landed: the attempt's end spins until it sees this.
        STATE.setVolatile(this, INTERRUPTED);
    }

    /**
     * Called by the caller's thread as soon as the attempt has returned, before anything else: ends
     * the window in which the timer may interrupt. When the timer has won, waits for its interrupt
     * to land and clears it, so the thread leaves with its flag as it would be without the timeout.
     *
     * @return true when the attempt finished before the timer fired
     */
    @SuppressWarnings(
            "ThreadPriorityCheck") // yielding only after spinning, to a timer thread a few instructions from done
    boolean finish() {
        if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
            return true;
        }
        int decided;
        for (int spins = 0; (decided = (int) STATE.getVolatile(this)) == INTERRUPTING; spins++) {
            // The timer is between its compare-and-set and interrupt(): a few instructions away. If we
            // returned now, its interrupt would land on whatever this thread does next. Should its
            // thread have been descheduled in between, yield to it rather than spin out a time slice.
            if (spins < SPINS_BEFORE_YIELDING) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        if (decided == INTERRUPTED) {
            Thread.interrupted(); // ours, delivered and landed: take it back
        }
        return false;
    }
}
