package dev.retry.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The deadlines of synchronous attempts on the real clock, kept without arming a timer per attempt.
 *
 * <p>Arming a timer on a scheduled executor for every attempt, and cancelling it when the attempt
 * returns in time (as nearly all do), costs a queue insertion, a removal and a few objects per call.
 * Instead, every thread that runs a timed attempt gets one {@link Slot} of its own, made on its first
 * timed attempt and reused by all its later ones: arming it is two plain writes and a volatile one,
 * disarming it one compare-and-set, and neither allocates. One daemon thread, {@code retry-timeout},
 * watches every slot: it wakes at the earliest armed deadline it has seen, and at least every {@link
 * #TICK_NANOS}, so that a deadline armed while it was parked is found within one tick. A deadline
 * therefore fires within about a millisecond after it passes (later only if the watchdog's thread is
 * starved of a core), the resolution the docs quote.
 *
 * <p>A slot carries the same race as {@link SyncTimeoutExecution}, whose states it reuses, with a
 * generation in the upper bits of the same word: the watchdog reads the word, decides the deadline
 * has passed and tries to move exactly that generation from RUNNING to INTERRUPTING. When the
 * attempt has meanwhile returned, and the thread has perhaps started its next attempt, the word
 * holds another generation and the compare-and-set fails: no interrupt ever reaches an attempt other
 * than the one whose deadline passed. The deadline is written before the word and read after it, so
 * a watchdog that sees a generation running also sees that generation's deadline, or a later one's
 * (and then fails its compare-and-set).
 *
 * <p>When nothing is armed the watchdog parks without a time limit, after announcing it in {@link
 * #parked} and looking once more; an attempt that arms its slot reads {@link #parked} after writing
 * its word, so either the attempt wakes the watchdog or the watchdog's last look finds the attempt.
 * Slots of threads that have ended are dropped as the watchdog passes them. A thread already inside a
 * timed attempt (nested timeouts) gets no second slot: the inner attempt arms a timer as before.
 */
final class TimeoutWatchdog {

    /** The longest the watchdog sleeps while anything is armed: the timeout's resolution. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int STATE_BITS = 3;
    private static final long STATE_MASK = (1L << STATE_BITS) - 1;

    private static final ThreadLocal<Slot> SLOTS = ThreadLocal.withInitial(TimeoutWatchdog::register);
    private static final ConcurrentLinkedQueue<Slot> ALL = new ConcurrentLinkedQueue<>();

    /** The watchdog thread; a watchdog that finds it is no longer this one ends. */
    private static volatile @Nullable Thread watcher;
    /** Set by the watchdog before it parks with nothing armed: the next arming must wake it. */
    private static volatile boolean parked = true;

    private TimeoutWatchdog() {}

    /** This thread's slot, or null when this thread's slot is already armed (a nested timeout). */
    static @Nullable Slot freeSlot() {
        Slot slot = SLOTS.get();
        return slot.armed ? null : slot;
    }

    private static Slot register() {
        Slot slot = new Slot(Thread.currentThread());
        ALL.add(slot);
        return slot;
    }

    private static void wake() {
        Thread current = watcher;
        if (current == null) {
            start();
        } else {
            LockSupport.unpark(current);
        }
    }

    private static synchronized void start() {
        if (watcher == null) {
            Thread thread = new Thread(TimeoutWatchdog::watch, "retry-timeout");
            thread.setDaemon(true);
            watcher = thread;
            parked = false;
            thread.start();
        }
    }

    /**
     * Ends the watchdog; the next armed deadline starts a new one. An attempt armed before and still
     * running is no longer interrupted at its deadline, but still fails with the timeout when it
     * returns past it.
     */
    static synchronized void stop() {
        Thread stopping = watcher;
        if (stopping == null) {
            return;
        }
        watcher = null;
        CoreThreads.endParked(stopping);
        // After the join, so that the ending thread cannot overwrite it: the next arming starts a new one.
        parked = true;
    }

    private static void watch() {
        Thread me = Thread.currentThread();
        while (watcher == me) {
            long untilNext = scan(SystemTime.TICKER.nanoTime());
            if (untilNext == Long.MAX_VALUE) {
                parked = true;
                // Look once more after announcing it: an attempt armed meanwhile may have read the
                // flag before it was set, and then relies on this look.
                if (scan(SystemTime.TICKER.nanoTime()) == Long.MAX_VALUE && watcher == me) {
                    LockSupport.park(TimeoutWatchdog.class);
                }
                parked = false;
            } else {
                LockSupport.parkNanos(TimeoutWatchdog.class, Math.min(untilNext, TICK_NANOS));
            }
        }
    }

    // What the tests look at, read without changing anything: package-private, never part of a call.

    /** The watchdog thread running now, or null when none does (before the first deadline, after a stop). */
    static @Nullable Thread currentWatcher() {
        return watcher;
    }

    /** Whether the watchdog has announced that it parks with nothing armed, so that the next arming wakes it. */
    static boolean announcedParked() {
        return parked;
    }

    /** Whether the watchdog still keeps a slot for {@code thread}; the slot of an ended thread goes at its next pass. */
    static boolean keepsSlotOf(Thread thread) {
        for (Slot slot : ALL) {
            if (slot.owner.get() == thread) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fires every armed deadline that has passed by {@code now}.
     *
     * @return the nanoseconds until the earliest deadline still armed, or {@code Long.MAX_VALUE}
     */
    private static long scan(long now) {
        long untilNext = Long.MAX_VALUE;
        for (Iterator<Slot> slots = ALL.iterator(); slots.hasNext(); ) {
            Slot slot = slots.next();
            Thread owner = slot.owner.get();
            if (owner == null || !owner.isAlive()) {
                slots.remove(); // a thread that has ended runs no attempt
                continue;
            }
            long word = slot.word;
            if ((word & STATE_MASK) != SyncTimeoutExecution.RUNNING) {
                continue;
            }
            long left = slot.deadline - now;
            if (left <= 0) {
                slot.expire(owner, word);
            } else {
                untilNext = Math.min(untilNext, left);
            }
        }
        return untilNext;
    }

    /** One thread's deadline, reused by each of its timed attempts in turn. */
    static final class Slot {

        private static final VarHandle WORD;

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(Slot.class, "word", long.class);
            } catch (ReflectiveOperationException impossible) {
                throw new ExceptionInInitializerError(impossible);
            }
        }

        /** Weak, so that the watchdog's list never keeps an ended thread in memory. */
        private final WeakReference<Thread> owner;

        /** The generation in the upper bits, the state of {@link SyncTimeoutExecution} in the lowest three. */
        private volatile long word = SyncTimeoutExecution.FINISHED;

        /** Written by the owner before {@link #word}; read by the watchdog after it. */
        private long deadline;

        private boolean interrupt;

        /** Only the owner reads and writes it: whether its attempt is armed. */
        private boolean armed;

        /** The word this thread armed its attempt with. */
        private long running;

        Slot(Thread owner) {
            this.owner = new WeakReference<>(owner);
        }

        /** Arms the deadline of the attempt this thread is about to run. */
        void arm(long deadlineNanos, boolean interruptAtDeadline) {
            deadline = deadlineNanos;
            interrupt = interruptAtDeadline;
            armed = true;
            running = ((running >>> STATE_BITS) + 1) << STATE_BITS | SyncTimeoutExecution.RUNNING;
            word = running;
            if (parked) {
                wake();
            }
        }

        /** The word as the watchdog reads it before it decides that a deadline has passed; for the tests. */
        long currentWord() {
            return word;
        }

        /** The watchdog's side: the deadline of the attempt armed with {@code seen} has passed. */
        void expire(Thread owner, long seen) {
            long generation = seen & ~STATE_MASK;
            if (!interrupt) {
                WORD.compareAndSet(this, seen, generation | SyncTimeoutExecution.EXPIRED);
                return;
            }
            if (!WORD.compareAndSet(this, seen, generation | SyncTimeoutExecution.INTERRUPTING)) {
                return; // that attempt has returned: its thread is no longer ours to interrupt
            }
            if (owner.isInterrupted()) {
                word = generation | SyncTimeoutExecution.EXPIRED; // see SyncTimeoutExecution#run
                return;
            }
            owner.interrupt();
            word = generation | SyncTimeoutExecution.INTERRUPTED;
        }

        /**
         * The owner's side, as soon as its attempt has returned: as {@link SyncTimeoutExecution#finish()}.
         *
         * @return true when the attempt finished before its deadline fired
         */
        @SuppressWarnings("ThreadPriorityCheck") // as in SyncTimeoutExecution#finish
        boolean finish() {
            armed = false;
            long generation = running & ~STATE_MASK;
            if (WORD.compareAndSet(this, running, generation | SyncTimeoutExecution.FINISHED)) {
                return true;
            }
            long decided;
            for (int spins = 0; ((decided = word) & STATE_MASK) == SyncTimeoutExecution.INTERRUPTING; spins++) {
                if (spins < SyncTimeoutExecution.SPINS_BEFORE_YIELDING) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            if ((decided & STATE_MASK) == SyncTimeoutExecution.INTERRUPTED) {
                Thread.interrupted(); // ours, delivered and landed: take it back
            }
            return false;
        }
    }
}
