package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timeout's deadline landed on top of the attempt's end, thousands of times, from another thread.
 *
 * <p>Each caller has a firing thread of its own. The caller's timer is not kept by a clock: the
 * scheduler hands it to the firing thread, which fires it after a random spin while the attempt spins
 * a random while of its own, so the deadline falls before, during and after the attempt's end in
 * about equal measure. Cancelling the timer does nothing, so it fires in every round, often after the
 * call has returned: exactly the stray interrupt the policy must make impossible. The clock never
 * moves, so the timer alone decides. After each call the caller checks its interrupt flag at once,
 * and again once the firing thread is done: it must be what it was before the call both times. (The
 * two threads hand over by spinning, since any blocking hand-over would itself trip on the interrupts
 * under test.)
 *
 * <p>Delivering an interrupt takes the timer a moment, and a timer thread may be descheduled in the
 * middle of it: that moment is when an attempt that ends must wait rather than return. The callers'
 * threads stretch it on purpose ({@link SlowlyInterruptedThread}), so the rounds land in it often.
 */
@Timeout(120)
class TimeoutInterruptRaceTest {

    private static final int PAIRS = 2;
    private static final int ROUNDS = 5_000;
    private static final int MAX_SPIN = 400;

    private final ExecutorService pool = Executors.newFixedThreadPool(2 * PAIRS, SlowlyInterruptedThread::new);
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final AtomicInteger inTime = new AtomicInteger();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void theTimeoutsInterruptNeverOutlivesTheAttemptAndNeverErasesSomeoneElses() throws Exception {
        List<Future<?>> threads = new ArrayList<>();
        for (int pair = 0; pair < PAIRS; pair++) {
            AtomicReference<Runnable> handOver = new AtomicReference<>();
            AtomicInteger roundsFired = new AtomicInteger();
            TimeoutPolicy timeout = TimeoutPolicy.builder()
                    .name("race")
                    .ticker(new VirtualClock())
                    .scheduler((task, delay) -> {
                        handOver.set(task);
                        return () -> {}; // a timer that cannot be stopped in time: it always fires
                    })
                    .build();
            long seed = 31L * pair + 7;
            threads.add(pool.submit(() -> {
                caller(timeout, roundsFired, new SplittableRandom(seed));
                return null;
            }));
            threads.add(pool.submit(() -> {
                firer(handOver, roundsFired, new SplittableRandom(~seed));
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get();
        }

        assertThat(violations).isEmpty();
        assertThat(timedOut.get() + inTime.get()).isEqualTo(PAIRS * ROUNDS);
        // The race went both ways often enough to mean something.
        assertThat(timedOut.get()).isGreaterThan(PAIRS * ROUNDS / 20);
        assertThat(inTime.get()).isGreaterThan(PAIRS * ROUNDS / 20);
    }

    private void caller(TimeoutPolicy timeout, AtomicInteger roundsFired, SplittableRandom random) {
        for (int round = 0; round < ROUNDS; round++) {
            boolean interruptedBySomeoneElse = round % 5 == 0;
            int kind = round % 3; // returns, throws, or blocks until interrupted
            int spin = random.nextInt(MAX_SPIN);
            if (interruptedBySomeoneElse) {
                Thread.currentThread().interrupt();
            }
            boolean[] interruptSeenAtTheEnd = {false};
            Throwable failure = null;
            try {
                timeout.call(() -> {
                    spinFor(spin);
                    if (kind == 2 && !interruptedBySomeoneElse) {
                        // Blocks until the timer interrupts it; the bound only ends a broken run.
                        if (!new CountDownLatch(1).await(10, TimeUnit.SECONDS)) {
                            violations.add("a blocked attempt was never interrupted");
                        }
                    }
                    interruptSeenAtTheEnd[0] = Thread.currentThread().isInterrupted();
                    if (kind == 1) {
                        throw new IOException("failed in its own right");
                    }
                    return "value";
                });
            } catch (Throwable thrown) {
                failure = thrown;
            }
            boolean flagAtReturn = Thread.currentThread().isInterrupted();
            // Waits by spinning, which no interrupt disturbs, until the firing thread has fired.
            while (roundsFired.get() <= round) {
                Thread.onSpinWait();
                Thread.yield();
            }
            boolean flagLater = Thread.interrupted(); // and clears it for the next round

            if (flagAtReturn != interruptedBySomeoneElse) {
                violations.add("round " + round + ": interrupt flag " + flagAtReturn + " when the call returned");
            }
            if (flagLater != flagAtReturn) {
                violations.add("round " + round + ": an interrupt landed after the call returned");
            }
            if (failure instanceof AttemptTimeoutException) {
                timedOut.incrementAndGet();
            } else {
                inTime.incrementAndGet();
                if (interruptSeenAtTheEnd[0] && !interruptedBySomeoneElse) {
                    violations.add(
                            "round " + round + ": the timer interrupted an attempt but the call did not time out");
                }
                boolean expectedOwnOutcome = kind == 1 ? failure instanceof IOException : failure == null;
                if (!expectedOwnOutcome) {
                    violations.add("round " + round + ": in time, but the call ended with " + failure);
                }
                if (kind == 2 && !interruptedBySomeoneElse) {
                    violations.add("round " + round + ": a blocked attempt returned in time");
                }
            }
        }
    }

    private static void firer(AtomicReference<Runnable> handOver, AtomicInteger roundsFired, SplittableRandom random) {
        for (int round = 0; round < ROUNDS; round++) {
            Runnable timer;
            while ((timer = handOver.getAndSet(null)) == null) {
                Thread.onSpinWait(); // the caller is about to schedule it
                Thread.yield();
            }
            spinFor(random.nextInt(MAX_SPIN));
            timer.run();
            roundsFired.incrementAndGet();
        }
    }

    /**
     * A thread whose {@code interrupt()} stalls a random while before it delivers, as if the
     * interrupting thread were descheduled halfway: widens the window between the timer's decision
     * and its interrupt landing from a few nanoseconds to microseconds.
     */
    private static final class SlowlyInterruptedThread extends Thread {

        SlowlyInterruptedThread(Runnable task) {
            super(task, "timeout-race");
            setDaemon(true);
        }

        @Override
        public void interrupt() {
            spinFor(java.util.concurrent.ThreadLocalRandom.current().nextInt(MAX_SPIN));
            super.interrupt();
        }
    }

    private static void spinFor(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }

    /** Two timeouts nested on one thread, both firing from elsewhere, leave the flag as they found it. */
    @Test
    void nestedTimeoutsLeaveEachOthersInterruptsAlone() throws Exception {
        AtomicReference<Runnable> outerTimer = new AtomicReference<>();
        AtomicReference<Runnable> innerTimer = new AtomicReference<>();
        TimeoutPolicy outer = TimeoutPolicy.builder()
                .ticker(new VirtualClock())
                .scheduler((task, delay) -> {
                    outerTimer.set(task);
                    return () -> {};
                })
                .build();
        TimeoutPolicy inner = TimeoutPolicy.builder()
                .ticker(new VirtualClock())
                .scheduler((task, delay) -> {
                    innerTimer.set(task);
                    return () -> {};
                })
                .build();
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 2_000; round++) {
            int spin = random.nextInt(MAX_SPIN);
            boolean outerFirst = random.nextBoolean();
            CountDownLatch fired = new CountDownLatch(1);
            Future<?> firing = pool.submit(() -> {
                Runnable first;
                Runnable second;
                while (outerTimer.get() == null || innerTimer.get() == null) {
                    Thread.onSpinWait();
                }
                first = outerFirst ? outerTimer.getAndSet(null) : innerTimer.getAndSet(null);
                second = outerFirst ? innerTimer.getAndSet(null) : outerTimer.getAndSet(null);
                spinFor(spin);
                first.run();
                second.run();
                fired.countDown();
                return null;
            });
            try {
                outer.call(() -> {
                    try {
                        return inner.call(() -> new CountDownLatch(1).await(10, TimeUnit.SECONDS));
                    } catch (AttemptTimeoutException expected) {
                        spinFor(spin);
                        return false;
                    }
                });
            } catch (AttemptTimeoutException expected) {
                // either may have won
            }
            boolean flagAtReturn = Thread.currentThread().isInterrupted();
            firing.get(10, TimeUnit.SECONDS);
            assertThat(fired.getCount()).isZero();
            assertThat(flagAtReturn)
                    .as("round %d, flag when the outer call returned", round)
                    .isFalse();
            assertThat(Thread.interrupted())
                    .as("round %d, flag after both timers fired", round)
                    .isFalse();
        }
    }
}
