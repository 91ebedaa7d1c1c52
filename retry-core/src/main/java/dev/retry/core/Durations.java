package dev.retry.core;

import java.time.Duration;

final class Durations {

    private Durations() {}

    /** Nanoseconds, saturating at {@code Long.MAX_VALUE} for durations beyond about 292 years. */
    static long toNanosSaturated(Duration duration) {
        if (duration.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (duration.toSeconds() <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return duration.toNanos();
    }

    /** A short human form: {@code 250ms}, {@code 1.5s}, {@code PT2H} for what has no short form. */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.toNanosPart() % 1_000_000 == 0 && duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
