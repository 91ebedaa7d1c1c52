package dev.retry.sample.downstream;

import java.util.Locale;

/** The faults the dashboard's buttons and the demo's phases switch between. */
public enum FaultPreset {

    /** Every request answered, quickly. */
    HEALTHY(0, 0, 0, 0, 0, false),
    /** A fifth of requests fail with 500, a tenth with 503 and {@code Retry-After}. */
    FLAKY(0.2, 0.1, 0, 0, 0, false),
    /** Many requests answered 503 with {@code Retry-After: 1}. */
    RETRY_AFTER(0, 0.5, 0, 0, 0, false),
    /** Many requests answered 429 with {@code Retry-After: 1}. */
    RATE_LIMITED(0, 0, 0.5, 0, 0, false),
    /** Every request fails with 503. */
    OUTAGE(0, 0, 0, 0, 0, true),
    /** Three requests in a hundred take twenty times as long. */
    SLOW_TAIL(0, 0, 0, 0, 0.03, false),
    /** A third of connections are dropped without an answer. */
    DROPPED_CONNECTIONS(0, 0, 0, 0.33, 0, false);

    final double errorRate;
    final double retryAfterRate;
    final double rateLimitRate;
    final double dropRate;
    final double slowShare;
    final boolean outage;

    FaultPreset(
            double errorRate,
            double retryAfterRate,
            double rateLimitRate,
            double dropRate,
            double slowShare,
            boolean outage) {
        this.errorRate = errorRate;
        this.retryAfterRate = retryAfterRate;
        this.rateLimitRate = rateLimitRate;
        this.dropRate = dropRate;
        this.slowShare = slowShare;
        this.outage = outage;
    }

    public double errorRate() {
        return errorRate;
    }

    public double retryAfterRate() {
        return retryAfterRate;
    }

    public double rateLimitRate() {
        return rateLimitRate;
    }

    public double dropRate() {
        return dropRate;
    }

    public double slowShare() {
        return slowShare;
    }

    public boolean outage() {
        return outage;
    }

    /** {@code slow-tail} for {@link #SLOW_TAIL}: how URLs and the page name presets. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FaultPreset ofId(String id) {
        for (FaultPreset preset : values()) {
            if (preset.id().equals(id)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("unknown fault preset '" + id + "'");
    }
}
