package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Configuration changed many times while many threads call through the policies: no call may see
 * half of a change, and no bulkhead permit may be lost or handed out twice. Real threads, no sleep;
 * each test stops when its callers have made their calls.
 */
@Timeout(120)
class ReconfigureConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 2_000;

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aBulkheadWhoseLimitFlipsWhileCallsRunNeverAdmitsMoreThanTheLargerLimitAndLeaksNoPermit() throws Exception {
        BulkheadPolicy bulkhead =
                BulkheadPolicy.builder().name("inventory").maxConcurrentCalls(2).build();
        BulkheadConfig small = bulkhead.config();
        BulkheadConfig large =
                BulkheadPolicy.builder(small).maxConcurrentCalls(5).buildConfig();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean calling = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);

        Future<Integer> flipper = threads.submit(() -> {
            start.await();
            int flips = 0;
            while (calling.get() || flips < 1_000) {
                bulkhead.reconfigure(flips % 2 == 0 ? large : small);
                flips++;
            }
            bulkhead.reconfigure(small);
            return flips;
        });
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            callers.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    try {
                        bulkhead.run(() -> {
                            int now = running.incrementAndGet();
                            mostRunning.accumulateAndGet(now, Math::max);
                            Thread.onSpinWait();
                            running.decrementAndGet();
                        });
                        admitted.incrementAndGet();
                    } catch (BulkheadFullException full) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> caller : callers) {
            caller.get();
        }
        calling.set(false);
        int flips = flipper.get();

        assertThat(flips).isGreaterThanOrEqualTo(1_000);
        assertThat(admitted.get() + refused.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
        assertThat(admitted).hasPositiveValue();
        assertThat(mostRunning.get()).isLessThanOrEqualTo(large.maxConcurrentCalls());
        assertThat(bulkhead.currentConcurrentCalls()).isZero();
        assertThat(bulkhead.availablePermits()).isEqualTo(small.maxConcurrentCalls());
        List<String> made = new ArrayList<>();
        for (int i = 0; i < small.maxConcurrentCalls() + 1; i++) {
            try {
                bulkhead.run(() -> made.add("made"));
            } catch (BulkheadFullException full) {
                made.add("refused");
            }
        }
        assertThat(made).doesNotContain("refused"); // one after the other: every permit came back
    }

    @Test
    void aCallMakesTheAttemptsOfOneConfigurationOnlyWhileItsLimitFlips() throws Exception {
        RetryPolicy retry = RetryPolicy.builder()
                .name("inventory")
                .maxAttempts(2)
                .delay(java.time.Duration.ZERO)
                .sleeper(nanos -> {})
                .build();
        RetryConfig two = retry.config();
        RetryConfig five = RetryPolicy.builder(two).maxAttempts(5).buildConfig();
        AtomicBoolean calling = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> mixed = new ConcurrentLinkedQueue<>();
        AtomicInteger seenTwo = new AtomicInteger();
        AtomicInteger seenFive = new AtomicInteger();

        Future<Integer> flipper = threads.submit(() -> {
            start.await();
            int flips = 0;
            while (calling.get() || flips < 1_000) {
                retry.reconfigure(flips % 2 == 0 ? five : two);
                flips++;
            }
            return flips;
        });
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            callers.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    AtomicInteger attempts = new AtomicInteger();
                    try {
                        retry.run(() -> {
                            attempts.incrementAndGet();
                            throw new IOException("down");
                        });
                    } catch (IOException expected) {
                        // every attempt fails: the count says which configuration the call had
                    }
                    switch (attempts.get()) {
                        case 2 -> seenTwo.incrementAndGet();
                        case 5 -> seenFive.incrementAndGet();
                        default -> mixed.add(attempts.get());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> caller : callers) {
            caller.get();
        }
        calling.set(false);
        flipper.get();

        assertThat(mixed).isEmpty();
        assertThat(seenTwo.get() + seenFive.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
    }
}
