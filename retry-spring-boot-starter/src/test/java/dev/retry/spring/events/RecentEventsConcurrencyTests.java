package dev.retry.spring.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.RetryEvent;
import dev.retry.core.RetryListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Many threads recording retries into one name while others read it: every read holds at most the
 * buffer's size, each writer's events newest first, and every event whole (its fields all from the
 * one retry that made it). Asserts invariants only, never timings.
 */
class RecentEventsConcurrencyTests {

    private static final int WRITERS = 8;
    private static final int READERS = 2;
    private static final int RETRIES_PER_WRITER = 20_000;
    private static final int BUFFER_SIZE = 64;
    private static final long WRITER_SHIFT = 1_000_000L;

    /** A different exception class per writer parity, so that a torn event would pair the wrong one. */
    private static final class EvenWriterFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static final class OddWriterFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void manyWritersAndReadersSeeABoundedNewestFirstListOfWholeEvents() throws Exception {
        RecentEvents events = new RecentEvents(BUFFER_SIZE, System::nanoTime, Clock.systemUTC());
        RetryListener listener = events.retryListener("inventory");
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + READERS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                RuntimeException failure = writer % 2 == 0 ? new EvenWriterFailure() : new OddWriterFailure();
                writers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 1; i <= RETRIES_PER_WRITER; i++) {
                        // The delay carries the writer and the retry; the attempt and the exception must agree with it.
                        listener.onRetry(new RetryEvent(
                                "inventory",
                                i,
                                Duration.ZERO,
                                Duration.ofNanos(writer * WRITER_SHIFT + i),
                                failure,
                                null,
                                null));
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(threads.submit(() -> {
                    start.await();
                    int reads = 0;
                    do {
                        assertWholeBoundedAndNewestFirst(events.events(EventSection.POLICIES, "inventory")
                                .orElseThrow());
                        reads++;
                    } while (writing.get());
                    return reads;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(2, TimeUnit.MINUTES)).isPositive();
            }
        } finally {
            threads.shutdownNow();
        }
        List<RecentEvent> last =
                events.events(EventSection.POLICIES, "inventory").orElseThrow();
        assertThat(last).as("once the writers are done, the buffer is full").hasSize(BUFFER_SIZE);
        assertWholeBoundedAndNewestFirst(last);
        // The very last retry of some writer is the newest event of all.
        assertThat(last.get(0).attempt()).isEqualTo(RETRIES_PER_WRITER);
    }

    private static void assertWholeBoundedAndNewestFirst(List<RecentEvent> read) {
        assertThat(read).hasSizeLessThanOrEqualTo(BUFFER_SIZE);
        Map<Long, Integer> previousByWriter = new HashMap<>();
        for (RecentEvent event : read) {
            long encoded = event.duration().toNanos();
            long writer = encoded / WRITER_SHIFT;
            int retry = (int) (encoded % WRITER_SHIFT);
            assertThat(event.kind()).isEqualTo("retry");
            assertThat(event.attempt())
                    .as("the attempt of the retry that made the event")
                    .isEqualTo(retry);
            assertThat(event.exception())
                    .as("the exception of writer %d", writer)
                    .isEqualTo((writer % 2 == 0 ? EvenWriterFailure.class : OddWriterFailure.class).getName());
            Integer newer = previousByWriter.put(writer, retry);
            if (newer != null) {
                assertThat(retry).as("writer %d's events, newest first", writer).isLessThan(newer);
            }
        }
    }
}
