package dev.retry.sample;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Search latency as the caller sees it, with and without hedging, as timers with p50 and p99:
 * {@code sample.search.latency{hedging=on|off}}, shown on the dashboard and in Prometheus.
 */
public class SearchLatency {

    private final Timer hedged;
    private final Timer unhedged;

    public SearchLatency(MeterRegistry registry) {
        this.hedged = timer(registry, "on");
        this.unhedged = timer(registry, "off");
    }

    private static Timer timer(MeterRegistry registry, String hedging) {
        // Percentiles over roughly the last 15 s, so that each demo phase shows its own latency
        // rather than the one before (Micrometer's default window is two minutes).
        return Timer.builder("sample.search.latency").description("Search latency as the caller sees it")
                .tag("hedging", hedging).publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofSeconds(15)).distributionStatisticBufferLength(3)
                .register(registry);
    }

    public void recordHedged(long nanos) {
        hedged.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void recordUnhedged(long nanos) {
        unhedged.record(nanos, TimeUnit.NANOSECONDS);
    }

    public double hedgedMillis(double percentile) {
        return percentile(hedged, percentile);
    }

    public double unhedgedMillis(double percentile) {
        return percentile(unhedged, percentile);
    }

    private static double percentile(Timer timer, double percentile) {
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == percentile) {
                return Math.round(value.value(TimeUnit.MILLISECONDS) * 10) / 10.0;
            }
        }
        return 0;
    }
}
