package dev.retry.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The permits of one {@link BulkheadPolicy} and the line of calls waiting for one; the policy's
 * essay says why it is built this way rather than on a {@link java.util.concurrent.Semaphore}.
 *
 * <p>A permit is either free (counted in {@link #free}) or held. Taking a free one is a
 * compare-and-set, allowed only while nobody waits, so that an arrival never overtakes the line. A
 * released permit goes back to the free count and, if anybody waits, is taken straight out again
 * under the line's lock and handed to the first waiter: it is never free while a waiter could have
 * it, except for that moment.
 *
 * <p>The one race to get right is a release that finds nobody waiting while a waiter is joining the
 * line: the release must not leave its permit free behind a waiter that went to sleep. The waiter
 * writes {@link #waiting} and then looks at the free count; the release adds to the free count and
 * then reads {@link #waiting}. Both are volatile, so at least one of them sees the other: either the
 * waiter finds the permit itself, or the release sees the waiter and hands the permit over.
 */
final class BulkheadPermits {

    /** The limit; changed only by {@link #resize(int)}, under the line's lock. */
    private volatile int max;
    /**
     * Permits nobody holds, never above {@link #max}. Negative after a resize below the number
     * held: the calls holding the excess return them one by one, and nobody takes a permit until
     * the count is above zero again.
     */
    private final AtomicInteger free;
    /** How many waiters the line holds: written under the line's lock, read without it. */
    private volatile int waiting;
    /** The waiters, first come first served. Guarded by itself. */
    private final ArrayDeque<Waiter> line = new ArrayDeque<>();

    BulkheadPermits(int max) {
        this.max = max;
        this.free = new AtomicInteger(max);
    }

    int max() {
        return max;
    }

    int free() {
        return free.get();
    }

    /**
     * Changes the limit in place. Permits held under the old limit stay held and come back through
     * {@link #release()} as usual, so none is lost or counted twice: growing frees the difference at
     * once (and hands it to the line), shrinking below the number held leaves the free count
     * negative until enough of them have come back.
     */
    void resize(int newMax) {
        Waiter granted;
        synchronized (line) {
            int difference = newMax - max;
            max = newMax;
            free.addAndGet(difference);
            granted = grantInOrder();
        }
        wake(granted, null);
    }

    /** Takes a free permit unless somebody waits for one. Never blocks, never allocates. */
    boolean tryAcquire() {
        return waiting == 0 && takeFree();
    }

    /** Returns a permit: to the first in line when anybody waits, else to the free count. */
    void release() {
        free.incrementAndGet();
        if (waiting != 0) {
            Waiter granted;
            synchronized (line) {
                granted = grantInOrder();
            }
            wake(granted, null);
        }
    }

    /**
     * Puts {@code waiter} at the end of the line and grants whatever permits are free in line order.
     *
     * @return true when {@code waiter} itself was granted one here: it then holds a permit and will
     *     never be woken; otherwise it will be woken exactly once, granted or expired
     */
    boolean join(Waiter waiter) {
        Waiter granted;
        synchronized (line) {
            line.addLast(waiter);
            waiting = line.size(); // before looking at the free count: see the class comment
            granted = grantInOrder();
        }
        return wake(granted, waiter);
    }

    /**
     * Takes {@code waiter} out of the line without a permit, for {@code reason} ({@link
     * Waiter#EXPIRED} or {@link Waiter#ABANDONED}).
     *
     * @return true when it left without a permit; false when it had been granted one first (then it
     *     holds a permit, which the caller must use or release) or had already left
     */
    boolean leave(Waiter waiter, int reason) {
        if (!waiter.decide(reason)) {
            return false;
        }
        synchronized (line) {
            line.remove(waiter);
            waiting = line.size();
        }
        return true;
    }

    /** Hands free permits to the waiters at the head of the line. Under the line's lock. */
    private @Nullable Waiter grantInOrder() {
        Waiter first = null;
        Waiter last = null;
        while (!line.isEmpty() && takeFree()) {
            Waiter head = line.pollFirst();
            if (head.decide(Waiter.GRANTED)) {
                if (last == null) {
                    first = head;
                } else {
                    last.nextGranted = head;
                }
                last = head;
            } else {
                // It gave up (expired, interrupted, cancelled) and is on its way out: the permit
                // goes to the next in line.
                free.incrementAndGet();
            }
        }
        waiting = line.size();
        return first;
    }

    /**
     * Wakes the waiters granted a permit, outside the lock since waking may run code; returns whether
     * {@code self}, the thread's own waiter, was among them (it is not woken: it is awake).
     */
    private static boolean wake(@Nullable Waiter granted, @Nullable Waiter self) {
        boolean selfGranted = false;
        for (Waiter next = granted; next != null; ) {
            Waiter current = next;
            next = current.nextGranted;
            current.nextGranted = null;
            if (current == self) {
                selfGranted = true;
            } else {
                current.granted();
            }
        }
        return selfGranted;
    }

    private boolean takeFree() {
        int current;
        while ((current = free.get()) > 0) {
            if (free.compareAndSet(current, current - 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A call in line for a permit. Its state leaves WAITING exactly once, by compare-and-set: to
     * GRANTED by a release (or by joining), to EXPIRED by its timer, to ABANDONED by its caller. So a
     * permit handed to a waiter that has just given up is never lost: the grant fails and the permit
     * goes to the next in line, and a waiter that fails to give up knows it holds a permit.
     *
     * <p>Its {@link #run()} is its expiry timer.
     */
    abstract static class Waiter implements Runnable {

        static final int WAITING = 0;
        static final int GRANTED = 1;
        static final int EXPIRED = 2;
        static final int ABANDONED = 3;

        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
            } catch (ReflectiveOperationException impossible) {
                throw new ExceptionInInitializerError(impossible);
            }
        }

        final BulkheadPermits permits;

        @SuppressWarnings("unused") // read and written through STATE
        private volatile int state;
        /** Links the waiters granted by one release; touched only by the granting thread. */
        @Nullable
        Waiter nextGranted;

        Waiter(BulkheadPermits permits) {
            this.permits = permits;
        }

        final int state() {
            return (int) STATE.getVolatile(this);
        }

        final boolean decide(int outcome) {
            return STATE.compareAndSet(this, WAITING, outcome);
        }

        /** The wait ran out. */
        @Override
        public final void run() {
            if (permits.leave(this, EXPIRED)) {
                expired();
            }
        }

        /** A permit was granted; called once, by the releasing thread, outside any lock. It must not throw. */
        abstract void granted();

        /** The wait ran out without a permit; called once, by the timer. */
        abstract void expired();
    }
}
