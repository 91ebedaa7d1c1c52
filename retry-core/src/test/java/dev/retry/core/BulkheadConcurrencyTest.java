package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of mixed calls through one bulkhead from many threads: successes, failures, asynchronous
 * stages completed elsewhere, stages the caller cancels, attempts that time out. Whatever the
 * interleaving, no permit may leak, and never more calls may run than the limit.
 *
 * <p>"Running" is counted by the calls themselves, the count going up as an attempt starts and down
 * just before it ends (before its stage completes, before a cancellation takes effect), so that the
 * count can only lag the permits, never lead them: a count above the limit is a bulkhead fault.
 * These tests block threads for real (waiting for permits, on latches, on real timers of a
 * millisecond), bounded and without any sleep.
 */
@Timeout(120)
class BulkheadConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 1_500;
    private static final int LIMIT = 4;

    private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);
    private final ExecutorService completers = Executors.newFixedThreadPool(2);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refusalsSeen = new AtomicInteger();
    private final AtomicInteger permittedTold = new AtomicInteger();
    private final AtomicInteger rejectedTold = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stopThreads() {
        callers.shutdownNow();
        completers.shutdownNow();
    }

    @Test
    void mixedCallsThatWaitForPermitsLeakNoneAndNeverExceedTheLimit() throws Exception {
        BulkheadPolicy bulkhead = bulkhead(Duration.ofSeconds(30));
        hammer(bulkhead);
        assertThat(refusalsSeen.get())
                .as("with a long wait, no call is refused")
                .isZero();
    }

    @Test
    void mixedCallsThatAreRefusedAtOnceLeakNoneAndNeverExceedTheLimit() throws Exception {
        BulkheadPolicy bulkhead = bulkhead(Duration.ZERO);
        hammer(bulkhead);
        assertThat(refusalsSeen.get()).as("the bulkhead was full at times").isPositive();
    }

    /** The line under the heaviest contention: one permit, every call waits, none may be forgotten. */
    @Test
    void withOnePermitEveryWaiterIsServedAndNoneIsForgottenInLine() throws Exception {
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofSeconds(30))
                .build();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> threads = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        for (int t = 0; t < THREADS; t++) {
            threads.add(callers.submit(() -> {
                start.await();
                for (int i = 0; i < 2_000; i++) {
                    bulkhead.call(() -> {
                        enter(1);
                        leave();
                        return null;
                    });
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get();
        }
        assertThat(done.get()).isEqualTo(THREADS * 2_000);
        assertThat(violations).isEmpty();
        assertThat(mostRunning.get()).isEqualTo(1);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    private BulkheadPolicy bulkhead(Duration maxWait) {
        return BulkheadPolicy.builder()
                .name("stress")
                .maxConcurrentCalls(LIMIT)
                .maxWait(maxWait)
                .listener(new BulkheadListener() {
                    @Override
                    public void onCallPermitted(String name) {
                        permittedTold.incrementAndGet();
                    }

                    @Override
                    public void onCallRejected(String name) {
                        rejectedTold.incrementAndGet();
                    }
                })
                .build();
    }

    private void hammer(BulkheadPolicy bulkhead) throws Exception {
        // Real timers of a millisecond, so that timeouts really race the calls' own ends.
        TimeoutPolicy timeout = TimeoutPolicy.builder()
                .name("stress")
                .duration(Duration.ofMillis(1))
                .build();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ConcurrentLinkedQueue<CompletableFuture<?>> asyncCalls = new ConcurrentLinkedQueue<>();
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            threads.add(callers.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    oneCall(bulkhead, timeout, random, asyncCalls);
                }
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get();
        }
        CompletableFuture.allOf(asyncCalls.toArray(new CompletableFuture<?>[0]))
                .handle((value, failure) -> null)
                .get(30, TimeUnit.SECONDS);
        for (CompletableFuture<?> call : asyncCalls) {
            call.handle((value, failure) -> {
                if (failure != null && Exceptions.unwrap(failure) instanceof BulkheadFullException) {
                    refusalsSeen.incrementAndGet();
                }
                return null;
            });
        }
        // A call cancelled just after its permit was granted returns it from the scheduler's thread.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bulkhead.availablePermits() != LIMIT && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            Thread.yield();
        }

        assertThat(violations).isEmpty();
        assertThat(bulkhead.availablePermits()).as("every permit came back").isEqualTo(LIMIT);
        assertThat(bulkhead.currentConcurrentCalls()).isZero();
        assertThat(running.get()).isZero();
        assertThat(mostRunning.get()).as("most calls running at once").isBetween(2, LIMIT);
        assertThat(permittedTold.get())
                .as("one permitted event per call admitted")
                .isEqualTo(admitted.get());
        assertThat(rejectedTold.get()).as("one rejected event per refusal seen").isEqualTo(refusalsSeen.get());
    }

    private void oneCall(
            BulkheadPolicy bulkhead,
            TimeoutPolicy timeout,
            SplittableRandom random,
            ConcurrentLinkedQueue<CompletableFuture<?>> asyncCalls) {
        int kind = random.nextInt(8);
        int spin = random.nextInt(2_000);
        try {
            switch (kind) {
                case 0 ->
                    bulkhead.call(() -> {
                        admitted.incrementAndGet();
                        enter(LIMIT);
                        spinFor(spin);
                        leave();
                        return "ok";
                    });
                case 1 ->
                    bulkhead.call(() -> {
                        admitted.incrementAndGet();
                        enter(LIMIT);
                        spinFor(spin);
                        leave();
                        throw new IOException("failed");
                    });
                case 2 ->
                    bulkhead.call(() -> admit(() -> timeout.call(() -> {
                        enter(LIMIT);
                        try {
                            // Blocks until the timeout interrupts it; the bound only ends a broken run.
                            return new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                        } finally {
                            leave();
                        }
                    })));
                case 3 -> asyncCalls.add(bulkhead.callAsync(() -> admit(() -> completedElsewhere(spin, false))));
                case 4 -> asyncCalls.add(bulkhead.callAsync(() -> admit(() -> completedElsewhere(spin, true))));
                case 5 -> { // the caller gives up at once: while the call waits, or while it runs
                    CompletableFuture<String> call = bulkhead.callAsync(() -> admit(() -> tracked()));
                    call.cancel(true);
                    asyncCalls.add(call);
                }
                case 6 -> { // the caller gives up while the stage is being completed elsewhere
                    CompletableFuture<String> call =
                            bulkhead.callAsync(() -> admit(() -> completedElsewhere(spin, false)));
                    spinFor(spin);
                    call.cancel(true);
                    asyncCalls.add(call);
                }
                default -> asyncCalls.add(bulkhead.callAsync(() -> admit(() -> timeout.callAsync(() -> tracked()))));
            }
        } catch (BulkheadFullException refused) {
            refusalsSeen.incrementAndGet();
        } catch (AttemptTimeoutException | IOException expected) {
            // the call's own outcome
        } catch (Exception unexpected) {
            violations.add("unexpected " + unexpected);
        }
        if (Thread.interrupted()) {
            violations.add("a caller's thread was left interrupted");
        }
    }

    /** Counts a call the bulkhead let through, whatever happens inside it afterwards. */
    private <T, X extends Throwable> T admit(CheckedSupplier<T, X> call) throws X {
        admitted.incrementAndGet();
        return call.get();
    }

    /** A stage completed on another thread after a while. */
    private CompletableFuture<String> completedElsewhere(int spin, boolean failing) {
        TrackedAttempt attempt = tracked();
        completers.execute(() -> {
            spinFor(spin);
            if (failing) {
                attempt.fail(new IOException("failed"));
            } else {
                attempt.succeed("ok");
            }
        });
        return attempt;
    }

    private TrackedAttempt tracked() {
        enter(LIMIT);
        return new TrackedAttempt();
    }

    private void enter(int limit) {
        int now = running.incrementAndGet();
        mostRunning.accumulateAndGet(now, Math::max);
        if (now > limit) {
            violations.add(now + " calls running at once, above the limit of " + limit);
        }
    }

    private void leave() {
        running.decrementAndGet();
    }

    private static void spinFor(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }

    /**
     * An attempt's stage that stops counting as running just before it completes or is cancelled,
     * whichever comes first, and only once.
     */
    private final class TrackedAttempt extends CompletableFuture<String> {

        private final AtomicBoolean ended = new AtomicBoolean();

        void succeed(String value) {
            end();
            complete(value);
        }

        void fail(Throwable failure) {
            end();
            completeExceptionally(failure);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            end();
            return super.cancel(mayInterruptIfRunning);
        }

        private void end() {
            if (ended.compareAndSet(false, true)) {
                leave();
            }
        }
    }
}
