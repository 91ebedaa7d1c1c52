package dev.retry.sample;

import dev.retry.sample.dashboard.Timeline;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Steady traffic through the annotated client while the downstream goes through phases of trouble
 * (healthy, flaky, slow tail, outage, recovery), with a one-line summary every few seconds, so that a
 * newcomer sees the policies work without writing a line. Off with {@code --demo=false}, which leaves
 * the faults to the dashboard's buttons.
 */
public class DemoTraffic implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);

    /** The phases, in order, and the faults of each. */
    private static final List<Phase> PHASES = List.of(
            new Phase("healthy", FaultPreset.HEALTHY),
            new Phase("flaky", FaultPreset.FLAKY),
            new Phase("slow-tail", FaultPreset.SLOW_TAIL),
            new Phase("outage", FaultPreset.OUTAGE),
            new Phase("recovery", FaultPreset.HEALTHY));

    private record Phase(String name, FaultPreset faults) {}

    private final CatalogClient catalog;
    private final Restocking restocking;
    private final SearchLatency latency;
    private final Faults faults;
    private final Timeline timeline;
    private final boolean enabled;
    private final int callsPerSecond;
    private final int phaseSeconds;
    private final int summarySeconds;
    private final AtomicLong ticks = new AtomicLong();
    private volatile String phase = "manual";
    private ScheduledExecutorService clock;
    private ExecutorService callers;

    public DemoTraffic(
            CatalogClient catalog,
            Restocking restocking,
            SearchLatency latency,
            Faults faults,
            Timeline timeline,
            boolean enabled,
            int callsPerSecond,
            int phaseSeconds,
            int summarySeconds) {
        this.catalog = catalog;
        this.restocking = restocking;
        this.latency = latency;
        this.faults = faults;
        this.timeline = timeline;
        this.enabled = enabled;
        this.callsPerSecond = callsPerSecond;
        this.phaseSeconds = phaseSeconds;
        this.summarySeconds = summarySeconds;
    }

    /** The current phase's name, or {@code manual} while the demo is off. */
    public String phase() {
        return phase;
    }

    @Override
    public synchronized void start() {
        if (!enabled || clock != null) {
            return;
        }
        clock = Executors.newSingleThreadScheduledExecutor(daemon("demo-clock"));
        callers = Executors.newFixedThreadPool(32, daemon("demo-caller"));
        long periodMicros = 1_000_000L / Math.max(1, callsPerSecond);
        clock.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
        clock.scheduleAtFixedRate(this::summarize, summarySeconds, summarySeconds, TimeUnit.SECONDS);
        log.info(
                "Demo traffic: {} calls/s through phases of {} s each: {}. Dashboard at / ; --demo=false turns it off.",
                callsPerSecond,
                phaseSeconds,
                PHASES.stream().map(Phase::name).toList());
    }

    private void tick() {
        long tick = ticks.getAndIncrement();
        Phase current = PHASES.get((int) ((tick / callsPerSecond / phaseSeconds) % PHASES.size()));
        if (!current.name().equals(phase)) {
            phase = current.name();
            faults.set(current.faults());
            timeline.phase(phase);
            log.info("Demo phase: {}", phase);
        }
        String sku = "sku-" + ThreadLocalRandom.current().nextInt(100);
        callers.execute(() -> {
            switch ((int) (tick % 8)) {
                // A bulk restock of three items in place of every other stock read: its inner calls go
                // through this, and the woven aspect retries them.
                case 0 -> restocking.restockAll(List.of(sku, sku + "-b", sku + "-c"));
                case 4 -> catalog.stock(sku);
                case 1, 5 -> catalog.reserve(sku);
                default -> searchBothWays(sku);
            }
        });
    }

    /**
     * One search made twice, hedged and then unhedged, each timed as the caller sees it and recorded
     * under the fault the downstream injects now; also what the dashboard's tests drive.
     */
    public TimedSearch searchBothWays(String query) {
        String phase = faults.current().id();
        long start = System.nanoTime();
        try {
            catalog.search(query);
        } catch (RuntimeException failed) {
            // counted by the meters; the demo goes on
        }
        long hedged = System.nanoTime() - start;
        start = System.nanoTime();
        try {
            catalog.searchWithoutHedging(query);
        } catch (RuntimeException failed) {
            // likewise
        }
        long unhedged = System.nanoTime() - start;
        latency.record(phase, hedged, unhedged);
        return new TimedSearch(hedged, unhedged);
    }

    /** How long a search took, in nanoseconds, with hedging and without. */
    public record TimedSearch(long hedgedNanos, long unhedgedNanos) {}

    private void summarize() {
        try {
            log.info(timeline.summaryLine(phase));
        } catch (RuntimeException failed) {
            log.warn("Could not summarise the demo", failed);
        }
    }

    @Override
    public synchronized void stop() {
        if (clock != null) {
            clock.shutdownNow();
            callers.shutdownNow();
            clock = null;
        }
    }

    @Override
    public boolean isRunning() {
        return clock != null;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
