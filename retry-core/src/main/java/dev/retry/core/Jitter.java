package dev.retry.core;

/**
 * How a computed delay is randomised, so that clients that failed together do not retry together.
 *
 * <p>The kinds and their names follow the AWS Architecture Blog's analysis of exponential backoff
 * and jitter. With {@code base} the delay from the {@link Backoff} (already capped) and {@code u}
 * drawn uniformly from {@code [0, 1)}:
 *
 * <ul>
 *   <li>{@link #NONE}: {@code base};
 *   <li>{@link #FULL}: {@code u * base}, anywhere in {@code [0, base]}; the least contention
 *       and the least total work of the four;
 *   <li>{@link #EQUAL}: {@code base/2 + u * base/2}, never less than half the base;
 *   <li>{@link #DECORRELATED}: drawn from {@code [d, 3 * previous]} where {@code d} is the
 *       configured delay and {@code previous} the delay used last time (at first {@code d}), then
 *       capped at {@code maxDelay}. Its growth comes from the previous delay, so the backoff kind
 *       does not apply.
 * </ul>
 */
public enum Jitter {

    /** No randomness: the backoff's delay as it is. */
    NONE,
    /** Uniform in {@code [0, delay]}. */
    FULL,
    /** Uniform in {@code [delay / 2, delay]}. */
    EQUAL,
    /** Uniform in {@code [base delay, 3 x previous delay]}, capped. */
    DECORRELATED;

    /**
     * Applies this jitter to a backoff delay that is already capped. Not for {@link #DECORRELATED},
     * which is computed from the previous delay instead (see {@link #decorrelated}).
     */
    long apply(long baseNanos, double uniform) {
        return switch (this) {
            case FULL -> (long) (baseNanos * uniform);
            case EQUAL -> {
                long half = baseNanos / 2;
                yield half + (long) ((baseNanos - half) * uniform);
            }
            default -> baseNanos;
        };
    }

    /**
     * Decorrelated jitter: uniform in {@code [delay, max(delay, 3 * previous)]}, capped at {@code
     * maxDelayNanos}; {@code previousNanos} of zero or less means no retry has happened yet.
     */
    static long decorrelated(long delayNanos, long previousNanos, long maxDelayNanos, double uniform) {
        long previous = previousNanos > 0 ? previousNanos : delayNanos;
        double upper = Math.max((double) delayNanos, 3.0 * previous);
        double drawn = delayNanos + (upper - delayNanos) * uniform;
        return drawn >= maxDelayNanos ? maxDelayNanos : (long) drawn;
    }
}
