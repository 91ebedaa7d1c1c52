package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The laws every delay obeys, whatever the configuration, checked over generated configurations. */
class BackoffPropertiesTest {

    private static final long MS = 1_000_000L;

    /** A delay, a multiplier and a cap at least as large as the delay. */
    record Shape(long delayNanos, double multiplier, long maxDelayNanos) {

        RetryConfig config(Backoff backoff, Jitter jitter) {
            return RetryPolicy.builder().backoff(backoff).jitter(jitter).delay(Duration.ofNanos(delayNanos))
                    .multiplier(multiplier).maxDelay(Duration.ofNanos(maxDelayNanos)).build().config();
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

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<Long> delays = Arbitraries.longs().between(0, 5_000 * MS);
        Arbitrary<Double> multipliers = Arbitraries.doubles().between(1.0, 10.0);
        Arbitrary<Long> extra = Arbitraries.longs().between(0, 60_000 * MS);
        return Combinators.combine(delays, multipliers, extra)
                .as((delay, multiplier, headroom) -> new Shape(delay, multiplier, delay + headroom));
    }

    @Property
    void withoutJitterEveryDelayIsTheBackoffsClosedFormCapped(@ForAll("shapes") Shape shape,
            @ForAll Backoff backoff, @ForAll @IntRange(min = 1, max = 80) int retry) {
        long delay = shape.config(backoff, Jitter.NONE).computedDelayNanos(retry, 0, 0.5);
        assertThat(delay).isEqualTo(shape.expectedBase(backoff, retry)).isBetween(0L, shape.maxDelayNanos());
    }

    @Property
    void withoutJitterDelaysNeverShrinkFromOneRetryToTheNext(@ForAll("shapes") Shape shape,
            @ForAll Backoff backoff, @ForAll @IntRange(min = 1, max = 80) int retry) {
        RetryConfig config = shape.config(backoff, Jitter.NONE);
        assertThat(config.computedDelayNanos(retry + 1, 0, 0.0))
                .isGreaterThanOrEqualTo(config.computedDelayNanos(retry, 0, 0.0));
    }

    @Property
    void fullJitterStaysWithinZeroAndTheBackoffDelay(@ForAll("shapes") Shape shape, @ForAll Backoff backoff,
            @ForAll @IntRange(min = 1, max = 80) int retry, @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double uniform) {
        long base = shape.expectedBase(backoff, retry);
        assertThat(shape.config(backoff, Jitter.FULL).computedDelayNanos(retry, 0, uniform)).isBetween(0L, base);
    }

    @Property
    void equalJitterStaysWithinHalfAndAllOfTheBackoffDelay(@ForAll("shapes") Shape shape, @ForAll Backoff backoff,
            @ForAll @IntRange(min = 1, max = 80) int retry, @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double uniform) {
        long base = shape.expectedBase(backoff, retry);
        assertThat(shape.config(backoff, Jitter.EQUAL).computedDelayNanos(retry, 0, uniform)).isBetween(base / 2, base);
    }

    @Property
    void decorrelatedJitterStaysWithinTheBaseAndThreeTimesThePreviousDelayCapped(@ForAll("shapes") Shape shape,
            @ForAll Backoff backoff, @ForAll @LongRange(min = 0, max = 120_000 * MS) long previous,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double uniform) {
        long delay = shape.config(backoff, Jitter.DECORRELATED).computedDelayNanos(2, previous, uniform);
        long effectivePrevious = previous > 0 ? previous : shape.delayNanos();
        long upper = Math.min(shape.maxDelayNanos(), Math.max(shape.delayNanos(), 3 * effectivePrevious));
        assertThat(delay).isBetween(Math.min(shape.delayNanos(), shape.maxDelayNanos()), upper);
    }

    @Property
    void everyKindOfJitterRespectsTheCap(@ForAll("shapes") Shape shape, @ForAll Backoff backoff, @ForAll Jitter jitter,
            @ForAll @IntRange(min = 1, max = 10_000) int retry, @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long previous,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double uniform) {
        assertThat(shape.config(backoff, jitter).computedDelayNanos(retry, previous, uniform))
                .isBetween(0L, shape.maxDelayNanos());
    }

    /**
     * Full jitter must actually spread: drawn by a real random source, delays fill every tenth of
     * {@code [0, d]}, not just stay inside it.
     */
    @Property(tries = 50)
    void fullJitterSpreadsOverTheWholeRange(@ForAll @LongRange(min = 1_000, max = 10_000 * MS) long delay,
            @ForAll long seed) {
        RetryConfig config = RetryPolicy.builder().backoff(Backoff.FIXED).jitter(Jitter.FULL)
                .delay(Duration.ofNanos(delay)).build().config();
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] tenthsHit = new boolean[10];
        for (int i = 0; i < 2_000; i++) {
            long drawn = config.computedDelayNanos(1, 0, random.nextDouble());
            assertThat(drawn).isBetween(0L, delay);
            tenthsHit[(int) Math.min(9, drawn * 10 / delay)] = true;
        }
        assertThat(tenthsHit).containsOnly(true);
    }
}
