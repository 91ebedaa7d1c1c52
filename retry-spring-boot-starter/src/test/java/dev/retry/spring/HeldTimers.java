package dev.retry.spring;

import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import dev.retry.spring.registry.PolicyTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler whose timers fire only when the test fires them. Declared as the policies' {@link
 * PolicyTime} (see {@link #policyTime()}), it turns "the deadline came while the answer was held"
 * or "the hedge started after the call had returned" into an order the test sets, instead of a race
 * between real timers that a stalled core can lose. The ticker and the sleeper stay the system's:
 * backoffs are still slept for real, and a timer's delay is only recorded, never waited for.
 *
 * <p>retry-test's {@code VirtualClock} would do this and more, but the starter's tests cannot depend
 * on retry-test, which depends on the starter.
 */
public final class HeldTimers implements Scheduler {

    /** Far beyond what a loaded machine needs: it only turns a test that would hang into a failure. */
    private static final Duration REAL_TIME_LIMIT = Duration.ofSeconds(30);

    private final List<Timer> timers = new ArrayList<>();

    /** The policies' time: the system's ticker and sleeper, these timers. */
    public PolicyTime policyTime() {
        return new PolicyTime(Ticker.system(), Sleeper.system(), this);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        Timer timer = new Timer(task, Duration.ofNanos(delayNanos));
        synchronized (timers) {
            timers.add(timer);
            timers.notifyAll();
        }
        return timer::cancel;
    }

    /** The delay of every timer scheduled so far, in the order they were scheduled. */
    public List<Duration> delays() {
        synchronized (timers) {
            return timers.stream().map(Timer::delay).toList();
        }
    }

    /**
     * Waits, in real time, for the earliest-scheduled timer of that delay that is neither fired nor
     * cancelled, and returns it, unfired.
     *
     * @throws AssertionError if none is scheduled within 30 s
     */
    public Timer awaitTimer(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + REAL_TIME_LIMIT.toNanos();
        synchronized (timers) {
            while (true) {
                for (Timer timer : timers) {
                    if (timer.delay.equals(delay) && timer.isPending()) {
                        return timer;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no pending timer of " + delay + " within " + REAL_TIME_LIMIT
                            + "; scheduled so far: " + delays());
                }
                timers.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** One timer: its task runs on the thread that fires it, once, unless it was cancelled first. */
    public static final class Timer {

        private final Runnable task;
        private final Duration delay;
        private boolean fired;
        private boolean cancelled;

        Timer(Runnable task, Duration delay) {
            this.task = task;
            this.delay = delay;
        }

        public Duration delay() {
            return delay;
        }

        /** Runs the task now, as a real timer would when its delay is over. */
        public void fire() {
            synchronized (this) {
                if (fired || cancelled) {
                    throw new IllegalStateException(
                            "the timer of " + delay + " was " + (fired ? "fired" : "cancelled") + " already");
                }
                fired = true;
            }
            task.run();
        }

        public synchronized boolean isCancelled() {
            return cancelled;
        }

        synchronized boolean isPending() {
            return !fired && !cancelled;
        }

        synchronized void cancel() {
            if (!fired) {
                cancelled = true;
            }
        }
    }
}
