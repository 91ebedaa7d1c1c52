package dev.retry.core;

/**
 * How the delay before each retry grows, before jitter and the cap are applied.
 *
 * <h2>How delays are computed</h2>
 *
 * <p>A delay is a pure function of three things: which retry comes next ({@code n}, 1 for the
 * first retry), the delay used before the previous retry, and one number drawn uniformly from
 * {@code [0, 1)}. Nothing else is remembered between attempts, so a delay can be reproduced from a
 * seed and its laws can be checked by property tests rather than by sleeping.
 *
 * <p>First the backoff gives a base, in closed form from the configured {@code delay} {@code d}:
 *
 * <ul>
 *   <li>{@link #FIXED}: {@code d}, every time;
 *   <li>{@link #LINEAR}: {@code d * n};
 *   <li>{@link #EXPONENTIAL}: {@code d * multiplier^(n - 1)};
 *   <li>{@link #FIBONACCI}: {@code d * F(n)} with {@code F = 1, 1, 2, 3, 5, 8, ...}, gentler than
 *       doubling while still growing without bound.
 * </ul>
 *
 * <p>The base is capped at {@code maxDelay}. It is computed in floating point, so a large {@code
 * n} saturates at the cap instead of overflowing. Then {@link Jitter} spreads it out, because a
 * crowd of clients that all failed at the same moment and all wait the same time will all come
 * back at the same moment, too.
 *
 * <p>A delay the server asked for (see {@link RetryDelayHint}) replaces all of this: it is used
 * as it is, capped at {@code maxDelay}, with no jitter.
 */
public enum Backoff {

    /** The same delay before every retry. */
    FIXED {
        @Override
        double factor(int retry, double multiplier) {
            return 1.0;
        }
    },

    /** The delay grows by the base delay with every retry: {@code d, 2d, 3d, ...}. */
    LINEAR {
        @Override
        double factor(int retry, double multiplier) {
            return retry;
        }
    },

    /** The delay is multiplied by {@code multiplier} with every retry: {@code d, 2d, 4d, ...}. */
    EXPONENTIAL {
        @Override
        double factor(int retry, double multiplier) {
            return Math.pow(multiplier, retry - 1);
        }
    },

    /** The delay follows the Fibonacci numbers: {@code d, d, 2d, 3d, 5d, 8d, ...}. */
    FIBONACCI {
        @Override
        double factor(int retry, double multiplier) {
            // Binet's formula; exact after rounding for every n where F(n) fits a double's
            // mantissa, and far past any realistic cap before it stops being so.
            return Math.rint(Math.pow(GOLDEN_RATIO, retry) / SQRT_5);
        }
    };

    private static final double SQRT_5 = Math.sqrt(5.0);
    private static final double GOLDEN_RATIO = (1.0 + SQRT_5) / 2.0;

    /** How many times the base delay goes into the delay before retry {@code retry} (1-based). */
    abstract double factor(int retry, double multiplier);

    /**
     * The base delay before retry {@code retry} (1-based), capped at {@code maxDelayNanos}.
     */
    long baseDelayNanos(int retry, long delayNanos, double multiplier, long maxDelayNanos) {
        double delay = delayNanos * factor(retry, multiplier);
        // Also true for infinity; NaN cannot occur because every factor is finite or +infinity.
        return delay >= maxDelayNanos ? maxDelayNanos : (long) delay;
    }
}
