package dev.retry.spring.events;

import dev.retry.core.Ticker;
import java.time.Clock;
import java.time.Instant;

/**
 * The instant an event happened, read from the policies' own ticker: the wall clock's reading at
 * start-up plus the ticker's progress since. So under {@code retry-test}'s virtual clock an event 20
 * virtual seconds into a test is stamped 20 s after the first, however little real time passed;
 * under the system's ticker the stamps follow the wall clock, without its jumps.
 */
final class EventClock {

    private final Ticker ticker;
    private final Instant origin;
    private final long originNanos;

    EventClock(Ticker ticker, Clock wallClock) {
        this.ticker = ticker;
        this.originNanos = ticker.nanoTime();
        this.origin = wallClock.instant();
    }

    Instant now() {
        return origin.plusNanos(ticker.nanoTime() - originNanos);
    }
}
