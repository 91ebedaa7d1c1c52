package dev.retry.benchmarks.simulation;

import dev.retry.core.HedgePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A slow tail: a service whose latencies spread around a 10 ms median (log-normal, sigma 0.25),
 * but 2 % of whose requests take twenty times as long, whichever replica they hit. Each request,
 * hedges included, draws its own latency, as a request to another replica would. What do the
 * percentiles of the calls become with no hedging, a fixed hedge delay and the delay that follows
 * the 95th percentile of recent latencies, and how many extra requests does it cost?
 */
public final class SlowTail {

    static final int CALLS = 20_000;
    /** Calls arrive as a Poisson process of this many per second. */
    static final double CALLS_PER_SECOND = 500;
    static final long MEDIAN = 10_000_000L;
    static final double SIGMA = 0.25;
    static final double SLOW_SHARE = 0.02;
    static final int SLOW_FACTOR = 20;

    /** The hedging compared. */
    public enum Variant {
        NONE("no hedging", "every call one request"),
        FIXED("fixed delay", "1 hedge after 20 ms (twice the median)"),
        ADAPTIVE("adaptive delay", "1 hedge after the p95 of the last 10 s, between 1 ms and 1 s"),
        ADAPTIVE_BUDGET("adaptive delay, budget", "as adaptive, with a hedge budget of 0.05 per call");

        private final String label;
        private final String configuration;

        Variant(String label, String configuration) {
            this.label = label;
            this.configuration = configuration;
        }

        public String label() {
            return label;
        }

        Supplier<CompletableFuture<String>> caller(VirtualClock clock, SimulatedService service) {
            switch (this) {
                case NONE:
                    return service::call;
                case FIXED:
                    HedgePolicy fixed = HedgePolicy.builder().delay(Duration.ofMillis(20)).maxHedges(1)
                            .ticker(clock).scheduler(clock).build();
                    return () -> fixed.callAsync(service::call);
                case ADAPTIVE:
                    HedgePolicy adaptive = HedgePolicy.builder()
                            .delayPercentile(95, Duration.ofMillis(1), Duration.ofSeconds(1)).maxHedges(1)
                            .ticker(clock).scheduler(clock).build();
                    return () -> adaptive.callAsync(service::call);
                case ADAPTIVE_BUDGET:
                    // The budget is what guarantees the 5 %: the p95 of hedged calls is lower than
                    // that of single requests, so the delay alone hedges a little more than 5 %.
                    HedgePolicy budgeted = HedgePolicy.builder()
                            .delayPercentile(95, Duration.ofMillis(1), Duration.ofSeconds(1)).maxHedges(1)
                            .budget(0.05).ticker(clock).scheduler(clock).build();
                    return () -> budgeted.callAsync(service::call);
                default:
                    throw new AssertionError(this);
            }
        }
    }

    /**
     * What one kind of hedging did; latencies in milliseconds.
     *
     * @param extraLoad requests beyond one per call, as a share of the calls (0.05 = 5 % more)
     */
    public record Result(String policy, String configuration, long seed, double p50, double p95, double p99,
            double p999, double extraLoad, long calls, long requests) implements Labelled {
    }

    private SlowTail() {
    }

    public static List<Result> run(long seed) {
        List<Result> results = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            results.add(run(variant, seed));
        }
        return results;
    }

    public static Result run(Variant variant, long seed) {
        VirtualClock clock = new VirtualClock();
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom arrivals = random.split();
        SplittableRandom latencies = random.split();
        SimulatedService service = new SimulatedService(clock, () -> latency(latencies), t -> false);
        Supplier<CompletableFuture<String>> caller = variant.caller(clock, service);
        long[] observed = new long[CALLS];
        int[] done = new int[1];
        long at = 0;
        for (int i = 0; i < CALLS; i++) {
            // Exponential gaps: a Poisson process, so calls sometimes bunch up as real ones do.
            at += (long) (-Math.log(1.0 - arrivals.nextDouble()) / CALLS_PER_SECOND * 1e9);
            clock.at(at, () -> {
                long start = clock.nanoTime();
                caller.get().whenComplete((value, failure) -> observed[done[0]++] = clock.nanoTime() - start);
            });
        }
        clock.run();
        Percentiles p = new Percentiles(observed, done[0]);
        return new Result(variant.label, variant.configuration, seed, Percentiles.millis(p.at(50)),
                Percentiles.millis(p.at(95)), Percentiles.millis(p.at(99)), Percentiles.millis(p.at(99.9)),
                (double) (service.attempts() - CALLS) / CALLS, CALLS, service.attempts());
    }

    private static long latency(SplittableRandom random) {
        double spread = Math.exp(SIGMA * random.nextGaussian());
        double slow = random.nextDouble() < SLOW_SHARE ? SLOW_FACTOR : 1;
        return (long) (MEDIAN * spread * slow);
    }
}
