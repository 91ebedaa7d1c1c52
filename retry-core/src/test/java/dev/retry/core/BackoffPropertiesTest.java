package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The laws every delay obeys, whatever the configuration, checked over generated configurations. */
class BackoffPropertiesTest {

    private static final long MS = 1_000_000L;
    private static final int CASES = 2_000;

    /** A delay, a multiplier and a cap at least as large as the delay. */
    record Shape(long delayNanos, double multiplier, long maxDelayNanos) {

        RetryConfig config(Backoff backoff, Jitter jitter) {
            return RetryPolicy.builder()
                    .backoff(backoff)
                    .jitter(jitter)
                    .delay(Duration.ofNanos(delayNanos))
                    .multiplier(multiplier)
                    .maxDelay(Duration.ofNanos(maxDelayNanos))
                    .build()
                    .config();
        }

        /** The backoff's delay before jitter, computed the slow and obvious way. */
        long expectedBase(Backoff backoff, int retry) {
            double factor = switch (backoff) {
                case FIXED -> 1;
                case LINEAR -> retry;
                case EXPONENTIAL -> Math.pow(multiplier, retry - 1);
                case FIBONACCI -> fibonacci(retry);
            };
            double delay = delayNanos * factor;
            return delay >= maxDelayNanos ? maxDelayNanos : (long) delay;
        }

        private static double fibonacci(int n) {
            double previous = 0;
            double current = 1;
            for (int i = 1; i < n; i++) {
                double next = previous + current;
                previous = current;
                current = next;
            }
            return current;
        }
    }

    private static Shape shape(Generated.Draw draw) {
        long delay = draw.longBetween(0, 5_000 * MS);
        return new Shape(delay, draw.doubleBetween(1.0, 10.0), delay + draw.longBetween(0, 60_000 * MS));
    }

    /** A configuration and where in its sequence of retries a delay is computed. */
    record Case(Shape shape, Backoff backoff, Jitter jitter, int retry, long previousNanos, double uniform) {

        long delay() {
            return shape.config(backoff, jitter).computedDelayNanos(retry, previousNanos, uniform);
        }

        long base() {
            return shape.expectedBase(backoff, retry);
        }
    }

    private static Function<Generated.Draw, Case> cases(int maxRetry, long maxPreviousNanos) {
        return draw -> new Case(
                shape(draw),
                draw.oneOf(Backoff.class),
                draw.oneOf(Jitter.class),
                draw.intBetween(1, maxRetry),
                draw.anyScaleUpTo(maxPreviousNanos),
                draw.doubleFrom(0.0, 1.0));
    }

    @Test
    void withoutJitterEveryDelayIsTheBackoffsClosedFormCapped() {
        Generated.check(CASES, cases(80, 0), c -> {
            Case unjittered = new Case(c.shape(), c.backoff(), Jitter.NONE, c.retry(), 0, 0.5);
            assertThat(unjittered.delay())
                    .isEqualTo(unjittered.base())
                    .isBetween(0L, c.shape().maxDelayNanos());
        });
    }

    @Test
    void withoutJitterDelaysNeverShrinkFromOneRetryToTheNext() {
        Generated.check(CASES, cases(80, 0), c -> {
            RetryConfig config = c.shape().config(c.backoff(), Jitter.NONE);
            assertThat(config.computedDelayNanos(c.retry() + 1, 0, 0.0))
                    .isGreaterThanOrEqualTo(config.computedDelayNanos(c.retry(), 0, 0.0));
        });
    }

    @Test
    void fullJitterStaysWithinZeroAndTheBackoffDelay() {
        Generated.check(CASES, cases(80, 0), c -> {
            Case full = new Case(c.shape(), c.backoff(), Jitter.FULL, c.retry(), 0, c.uniform());
            assertThat(full.delay()).isBetween(0L, full.base());
        });
    }

    @Test
    void equalJitterStaysWithinHalfAndAllOfTheBackoffDelay() {
        Generated.check(CASES, cases(80, 0), c -> {
            Case equal = new Case(c.shape(), c.backoff(), Jitter.EQUAL, c.retry(), 0, c.uniform());
            assertThat(equal.delay()).isBetween(equal.base() / 2, equal.base());
        });
    }

    @Test
    void decorrelatedJitterStaysWithinTheBaseAndThreeTimesThePreviousDelayCapped() {
        Generated.check(CASES, cases(80, 120_000 * MS), c -> {
            Shape shape = c.shape();
            long delay = shape.config(c.backoff(), Jitter.DECORRELATED)
                    .computedDelayNanos(2, c.previousNanos(), c.uniform());
            long effectivePrevious = c.previousNanos() > 0 ? c.previousNanos() : shape.delayNanos();
            long upper = Math.min(shape.maxDelayNanos(), Math.max(shape.delayNanos(), 3 * effectivePrevious));
            assertThat(delay).isBetween(Math.min(shape.delayNanos(), shape.maxDelayNanos()), upper);
        });
    }

    @Test
    void everyKindOfJitterRespectsTheCap() {
        Generated.check(
                CASES,
                cases(10_000, Long.MAX_VALUE / 4),
                c -> assertThat(c.delay()).isBetween(0L, c.shape().maxDelayNanos()));
    }

    /**
     * Full jitter must actually spread: drawn by a real random source, delays fill every tenth of
     * {@code [0, d]}, not just stay inside it.
     */
    @Test
    void fullJitterSpreadsOverTheWholeRange() {
        record Spread(long delayNanos, long seed) {}
        Generated.check(50, draw -> new Spread(draw.longBetween(1_000, 10_000 * MS), draw.anyLong()), spread -> {
            long delay = spread.delayNanos();
            RetryConfig config = RetryPolicy.builder()
                    .backoff(Backoff.FIXED)
                    .jitter(Jitter.FULL)
                    .delay(Duration.ofNanos(delay))
                    .build()
                    .config();
            SplittableRandom random = new SplittableRandom(spread.seed());
            boolean[] tenthsHit = new boolean[10];
            for (int i = 0; i < 2_000; i++) {
                long drawn = config.computedDelayNanos(1, 0, random.nextDouble());
                assertThat(drawn).isBetween(0L, delay);
                tenthsHit[(int) Math.min(9, drawn * 10 / delay)] = true;
            }
            assertThat(tenthsHit).containsOnly(true);
        });
    }
}
