package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The real clock's coarse reading, which breakers time their calls with. Real time by necessity:
 * this is the one clock that is not virtual; the test waits for it to move, never sleeps.
 */
class SystemTimeTest {

    private static final long MILLISECOND = 1_000_000L;

    @Test
    void aCoarseReadingMovesOnByItselfAndStaysBehindTheExactClock() {
        Ticker coarse = SystemTime.coarseTicker(2 * MILLISECOND);
        long first = coarse.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> coarse.nanoTime() > first);
        long reading = coarse.nanoTime();
        long exact = Ticker.system().nanoTime();
        assertThat(exact - reading).as("never ahead of the real clock").isGreaterThanOrEqualTo(0);
    }

    @Test
    void askingForAFinerResolutionRefreshesItAtOnce() {
        Ticker coarse = SystemTime.coarseTicker(Long.MAX_VALUE / 2); // changes nothing: a finer one is in force
        long before = Ticker.system().nanoTime();
        Ticker finer = SystemTime.coarseTicker(MILLISECOND / 2); // finer than any breaker asks for
        assertThat(finer.nanoTime())
                .as("read when the finer resolution was asked for")
                .isGreaterThanOrEqualTo(before);
        assertThat(finer).isSameAs(coarse);
    }
}
