package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a hedge waits for the attempt before it: a fixed time, or a percentile of the latency
 * observed so far, so that only the slowest calls are hedged whatever the service's normal speed.
 */
public sealed interface HedgeDelay permits HedgeDelay.Fixed, HedgeDelay.Percentile {

    /**
     * A fixed delay.
     *
     * @param duration zero or more
     */
    record Fixed(Duration duration) implements HedgeDelay {

        public Fixed {
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public String toString() {
            return duration.toString();
        }
    }

    /**
     * A percentile of observed latency, written {@code p50} to {@code p99.9}.
     *
     * @param percentile from {@value #MIN} to {@value #MAX}, such as 99.0 for {@code p99}
     */
    record Percentile(double percentile) implements HedgeDelay {

        /** The lowest percentile allowed, {@code p50}: any lower and most calls would be hedged. */
        public static final double MIN = 50.0;

        /** The highest percentile allowed, {@code p99.9}, as the contract promises. */
        public static final double MAX = 99.9;

        /** The same as a fraction, from 0.5 to 0.999, as latency histograms usually take it. */
        public double quantile() {
            return percentile / 100.0;
        }

        @Override
        public String toString() {
            // p99 rather than p99.0, as the user would write it
            return percentile == Math.rint(percentile) ? "p" + (long) percentile : "p" + percentile;
        }
    }
}
