package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Retry attaches earlier attempts' failures to the one it throws, and a fallback attaches the
 * original failure to its handler's. Both used to be unbounded: one call retrying until a deadline
 * with no delay attached every one of its 126,130 failures (107 MB in 300 ms), and an exception
 * instance thrown again by later calls gained more suppressed on every call, for ever. Now no
 * exception carries more than {@link Exceptions#MAX_SUPPRESSED} suppressed exceptions of ours.
 */
class SuppressedExceptionsTest {

    private final VirtualClock time = new VirtualClock();

    @Test
    void aCallRetryingUntilItsDeadlineWithNoDelayKeepsOnlyItsFirstAndThreeLatestFailures() {
        int attempts = 200_000;
        AtomicInteger calls = new AtomicInteger();
        Ticker ticking = () -> time.nanoTime() + calls.get() * 1_000L; // a microsecond per attempt
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(Integer.MAX_VALUE)
                .delay(Duration.ZERO)
                .jitter(Jitter.NONE)
                .maxDuration(Duration.ofNanos(attempts * 1_000L - 500L))
                .ticker(ticking)
                .sleeper(time)
                .build();

        assertThatThrownBy(() -> retry.call(() -> {
                    throw failure("attempt " + calls.incrementAndGet());
                }))
                .satisfies(last -> {
                    assertThat(last).hasMessage("attempt " + attempts);
                    assertThat(last.getSuppressed())
                            .extracting(Throwable::getMessage)
                            .containsExactly(
                                    "attempt 1",
                                    "attempt " + (attempts - 3),
                                    "attempt " + (attempts - 2),
                                    "attempt " + (attempts - 1));
                });
        assertThat(calls).hasValue(attempts);
    }

    @Test
    void anExceptionThrownAgainByEveryCallNeverCarriesMoreThanFourSuppressed() {
        IllegalStateException cached = failure("cached, thrown by every call's last attempt");
        RetryPolicy retry =
                RetryPolicy.builder().maxAttempts(3).ticker(time).sleeper(time).build();
        for (int call = 1; call <= 1_000; call++) {
            AtomicInteger attempt = new AtomicInteger();
            int thisCall = call;
            assertThatThrownBy(() -> retry.call(() -> {
                        throw attempt.incrementAndGet() < 3
                                ? failure("call " + thisCall + " attempt " + attempt)
                                : cached;
                    }))
                    .isSameAs(cached);
        }
        assertThat(cached.getSuppressed())
                .extracting(Throwable::getMessage)
                .containsExactly("call 1 attempt 1", "call 1 attempt 2", "call 2 attempt 1", "call 2 attempt 2");
    }

    @Test
    void anExceptionThrownAgainByEveryAsynchronousCallNeverCarriesMoreThanFourSuppressed() {
        IllegalStateException cached = failure("cached");
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(3)
                .jitter(Jitter.NONE)
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .build();
        for (int call = 1; call <= 200; call++) {
            AtomicInteger attempt = new AtomicInteger();
            CompletableFuture<String> result = retry.callAsync(() -> CompletableFuture.failedFuture(
                    attempt.incrementAndGet() < 3 ? failure("attempt " + attempt) : cached));
            time.advance(Duration.ofSeconds(1));
            assertThat(result.handle((value, failure) -> failure).join()).isSameAs(cached);
        }
        assertThat(cached.getSuppressed()).hasSize(Exceptions.MAX_SUPPRESSED);
    }

    @Test
    void aCachedExceptionThrownByAFallbackHandlerNeverCarriesMoreThanFourSuppressed() {
        IllegalStateException cached = failure("no stock known either");
        FallbackPolicy fallback = FallbackPolicy.builder()
                .on(RuntimeException.class, (failure, argument) -> {
                    throw cached;
                })
                .build();
        for (int call = 1; call <= 1_000; call++) {
            int thisCall = call;
            assertThatThrownBy(() -> fallback.call(() -> {
                        throw failure("down " + thisCall);
                    }))
                    .isSameAs(cached);
        }
        assertThat(cached.getSuppressed())
                .extracting(Throwable::getMessage)
                .containsExactly("down 1", "down 2", "down 3", "down 4");
    }

    @Test
    void aFailureThatAlreadyCarriesSuppressedOfItsOwnKeepsThemAndGetsOnlyWhatRoomIsLeft() {
        IllegalStateException own = failure("the callee's own");
        IllegalStateException last = failure("last");
        last.addSuppressed(own);
        AtomicInteger attempt = new AtomicInteger();
        RetryPolicy retry =
                RetryPolicy.builder().maxAttempts(10).ticker(time).sleeper(time).build();
        assertThatThrownBy(() -> retry.call(() -> {
                    throw attempt.incrementAndGet() < 10 ? failure("attempt " + attempt) : last;
                }))
                .isSameAs(last);
        assertThat(last.getSuppressed())
                .extracting(Throwable::getMessage)
                .containsExactly("the callee's own", "attempt 1", "attempt 7", "attempt 8");
    }

    /** Stackless, to keep 200,000 of them cheap; suppression stays enabled, as for ordinary exceptions. */
    private static IllegalStateException failure(String message) {
        return new IllegalStateException(message) {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        };
    }
}
