package dev.retry.sample;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Search latency as the caller sees it, with and without hedging, kept two ways.
 *
 * <ul>
 *   <li>As timers with p50 and p99, {@code sample.search.latency{hedging=on|off}}, for Prometheus and
 *       the demo's summary line.
 *   <li>Per phase: the last {@value #SAMPLES_PER_PHASE} searches made under each fault, each searched
 *       both ways, with the hedges they started. A phase's percentiles are its own, never mixed with
 *       the phase before: a percentile over a sliding window would show the flaky phase's one-second
 *       {@code Retry-After} waits well into the slow tail, where hedging is the thing to see. And per
 *       step of the dashboard's timeline, the p99 of the searches made during that step alone.
 * </ul>
 */
public class SearchLatency {

    /** How many searches each phase remembers: some five runs of a demo phase at the demo's rate. */
    public static final int SAMPLES_PER_PHASE = 1000;

    /** More than a step of the timeline ever holds at the demo's rate; a bound should the steps stop. */
    private static final int SAMPLES_PER_STEP = 10_000;

    private final Timer hedged;
    private final Timer unhedged;
    private final MeterRegistry registry;
    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private final Samples stepHedged = new Samples(SAMPLES_PER_STEP);
    private final Samples stepUnhedged = new Samples(SAMPLES_PER_STEP);
    private double hedgesCounted;

    public SearchLatency(MeterRegistry registry) {
        this.registry = registry;
        this.hedged = timer(registry, "on");
        this.unhedged = timer(registry, "off");
    }

    private static Timer timer(MeterRegistry registry, String hedging) {
        // Percentiles over roughly the last 15 s (Micrometer's default window is two minutes).
        return Timer.builder("sample.search.latency")
                .description("Search latency as the caller sees it")
                .tag("hedging", hedging)
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofSeconds(15))
                .distributionStatisticBufferLength(3)
                .register(registry);
    }

    /**
     * Records one search made both ways under the fault {@code phase}. The hedges started since the
     * previous record are counted to this phase: the hedged searches are the only ones the demo makes.
     */
    public synchronized void record(String phase, long hedgedNanos, long unhedgedNanos) {
        hedged.record(hedgedNanos, TimeUnit.NANOSECONDS);
        unhedged.record(unhedgedNanos, TimeUnit.NANOSECONDS);
        double hedgedMillis = hedgedNanos / 1e6;
        double unhedgedMillis = unhedgedNanos / 1e6;
        Phase latencies = phases.computeIfAbsent(phase, name -> new Phase());
        latencies.hedged.add(hedgedMillis);
        latencies.unhedged.add(unhedgedMillis);
        latencies.searches++;
        double hedgesNow = hedgesStarted();
        latencies.hedges += Math.round(hedgesNow - hedgesCounted);
        hedgesCounted = hedgesNow;
        stepHedged.add(hedgedMillis);
        stepUnhedged.add(unhedgedMillis);
    }

    private double hedgesStarted() {
        Counter started = registry.find("hedge.attempts").tag("name", "search").counter();
        return started == null ? 0 : started.count();
    }

    /** Every phase searched in so far, in the order they first came. */
    public synchronized List<PhaseLatency> phases() {
        List<PhaseLatency> all = new ArrayList<>();
        phases.forEach((name, phase) -> all.add(new PhaseLatency(
                name,
                phase.searches,
                phase.hedges,
                phase.hedged.percentile(0.5),
                phase.hedged.percentile(0.99),
                phase.unhedged.percentile(0.5),
                phase.unhedged.percentile(0.99))));
        return all;
    }

    /** The p99 of the searches recorded since the last call, both ways; 0 where there were none. */
    public synchronized StepLatency takeStep() {
        StepLatency step = new StepLatency(stepHedged.percentile(0.99), stepUnhedged.percentile(0.99));
        stepHedged.clear();
        stepUnhedged.clear();
        return step;
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
                return tenths(value.value(TimeUnit.MILLISECONDS));
            }
        }
        return 0;
    }

    private static double tenths(double millis) {
        return Math.round(millis * 10) / 10.0;
    }

    /**
     * What hedging did under one fault, in milliseconds.
     *
     * @param phase the fault preset the searches ran under ({@code slow-tail})
     * @param searches searches made both ways, since the application started
     * @param hedges hedges those searches started: the extra requests hedging cost
     * @param hedgedP50 and the other percentiles: over the last {@value #SAMPLES_PER_PHASE} searches
     */
    public record PhaseLatency(
            String phase,
            long searches,
            long hedges,
            double hedgedP50,
            double hedgedP99,
            double unhedgedP50,
            double unhedgedP99) {}

    /** The p99 of one step of the timeline, in milliseconds; 0 for a step without searches. */
    public record StepLatency(double hedgedP99, double unhedgedP99) {}

    private static final class Phase {
        final Samples hedged = new Samples(SAMPLES_PER_PHASE);
        final Samples unhedged = new Samples(SAMPLES_PER_PHASE);
        long searches;
        long hedges;
    }

    /** The last {@code capacity} values, with their exact percentiles (the nearest rank). */
    private static final class Samples {
        private final int capacity;
        private double[] values = new double[16];
        private int size;
        private int next;

        Samples(int capacity) {
            this.capacity = capacity;
        }

        void add(double value) {
            if (size < capacity) {
                if (size == values.length) {
                    values = Arrays.copyOf(values, Math.min(capacity, size * 2));
                }
                values[size++] = value;
            } else {
                values[next] = value;
                next = (next + 1) % capacity;
            }
        }

        double percentile(double percentile) {
            if (size == 0) {
                return 0;
            }
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return tenths(sorted[(int) Math.ceil(size * percentile) - 1]);
        }

        void clear() {
            size = 0;
            next = 0;
        }
    }
}
