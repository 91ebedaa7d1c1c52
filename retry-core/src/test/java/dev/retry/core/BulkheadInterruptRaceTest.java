package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A caller waiting for a bulkhead permit is interrupted at the very moment a permit is handed to it.
 * The permit then belongs to a caller that is leaving: it must go back, or the bulkhead shrinks by one
 * for good.
 */
class BulkheadInterruptRaceTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /**
     * Deterministic, on one thread: the bulkhead's expiry timer is the hook. The waiting caller
     * interrupts itself as it schedules its expiry, so it stops waiting at once; when it cancels that
     * expiry on its way out, the holder finishes and the permit is granted to it, just before it
     * leaves the line.
     */
    @Test
    void aPermitGrantedToACallerThatWasInterruptedMeanwhileComesBackToTheBulkhead() {
        CompletableFuture<String> holder = new CompletableFuture<>();
        Scheduler interruptThenGrant = (expiry, delayNanos) -> {
            Thread.currentThread().interrupt();
            return () -> holder.complete("done"); // the holder's permit goes to the caller in line
        };
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .name("inventory")
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofSeconds(10))
                .scheduler(interruptThenGrant)
                .build();
        assertThat(bulkhead.callAsync(() -> holder)).isNotDone();
        AtomicInteger ran = new AtomicInteger();

        assertThatThrownBy(() -> bulkhead.call(ran::incrementAndGet))
                .isInstanceOf(BulkheadFullException.class)
                .hasCauseInstanceOf(InterruptedException.class);

        assertThat(Thread.interrupted())
                .as("the caller's interrupt flag stays set")
                .isTrue();
        assertThat(ran).as("the interrupted caller never ran").hasValue(0);
        assertThat(holder).isDone();
        assertThat(bulkhead.availablePermits())
                .as("the permit granted to the leaving caller came back")
                .isEqualTo(1);
        assertThat(bulkhead.currentConcurrentCalls()).isZero();
        assertThat(bulkhead.call(() -> "next")).as("the next caller gets it").isEqualTo("next");
    }

    /**
     * The same race left to the threads, many times: the holder returns its permit while the waiting
     * caller is interrupted. Whichever wins each round, the caller either ran or was refused with its
     * flag set, and the bulkhead ends every round whole.
     */
    @Test
    void interruptsRacingReleasesNeverLeakAPermit() throws Exception {
        int rounds = 300;
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .name("inventory")
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofMinutes(1))
                .build();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<String> violations = new ArrayList<>();
        int ranCount = 0;
        int refusedCount = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                CompletableFuture<String> holder = new CompletableFuture<>();
                assertThat(bulkhead.callAsync(() -> holder)).isNotDone();
                CyclicBarrier start = new CyclicBarrier(2);
                CountDownLatch waiting = new CountDownLatch(1);
                Thread[] callerThread = new Thread[1];
                Future<String> caller = threads.submit(() -> {
                    callerThread[0] = Thread.currentThread();
                    waiting.countDown();
                    try {
                        return bulkhead.call(() -> "ran");
                    } catch (BulkheadFullException refused) {
                        boolean flagSet = Thread.interrupted();
                        return refused.getCause() instanceof InterruptedException && flagSet
                                ? "refused"
                                : "wrong: " + refused;
                    } finally {
                        Thread.interrupted(); // a pooled thread starts the next round clean
                    }
                });
                assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
                awaitQueued(callerThread[0]);
                Future<?> racer = threads.submit(() -> {
                    start.await();
                    holder.complete("done");
                    return null;
                });
                start.await();
                callerThread[0].interrupt();
                racer.get(10, TimeUnit.SECONDS);
                String outcome = caller.get(10, TimeUnit.SECONDS);
                if (outcome.equals("ran")) {
                    ranCount++;
                } else if (outcome.equals("refused")) {
                    refusedCount++;
                } else {
                    violations.add("round " + round + ": " + outcome);
                }
                if (bulkhead.availablePermits() != 1) {
                    violations.add(
                            "round " + round + ": " + bulkhead.availablePermits() + " permits free after the round");
                    break;
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(violations).isEmpty();
        assertThat(ranCount + refusedCount).isEqualTo(rounds);
    }

    /** Waits until the caller is parked in line: its wait is what the interrupt must meet. */
    private static void awaitQueued(Thread caller) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> caller.getState() == Thread.State.WAITING);
    }
}
