package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a hedge waits for the attempt before it: a fixed time, or a percentile of the latency
 * observed so far, so that only the slowest calls are hedged whatever the service's normal speed.
 */
public sealed interface HedgeDelay permits HedgeDelay.Fixed, HedgeDelay.Percentile {

    /**
     * Reads a delay as an annotation writes it inline ({@code "150ms"}, {@code "p95"}).
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    static HedgeDelay parse(String text) {
        String trimmed = text.trim();
        java.util.regex.Matcher percentile = java.util.regex.Pattern.compile("[pP](\\d+(?:\\.\\d+)?)").matcher(trimmed);
        if (percentile.matches()) {
            double value = Double.parseDouble(percentile.group(1));
            if (value >= Percentile.MIN && value <= Percentile.MAX) {
                return new Percentile(value);
            }
        } else {
            try {
                Duration duration = org.springframework.boot.convert.DurationStyle.detectAndParse(trimmed);
                if (!duration.isNegative()) {
                    return new Fixed(duration);
                }
            } catch (IllegalArgumentException | ArithmeticException unreadable) {
                // reported below, with what is allowed
            }
        }
        throw new IllegalArgumentException("sets delay = '" + text + "', but it must be a duration of zero or more,"
                + " such as 100ms or 2s, or a percentile of observed latency from p50 to p99.9");
    }

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
