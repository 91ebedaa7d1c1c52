package dev.retry.benchmarks.simulation;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitOpenException;
import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A service that fails in bursts: healthy for 5 to 15 s, then dead (every request fails) for 2 to
 * 6 s, over 2 minutes, the lengths drawn from the seed. 100 calls a second arrive as a Poisson
 * process. How many requests reach the service while it is dead (wasted: they cannot succeed and
 * they load a service trying to recover), and how many calls the breaker refuses while the service
 * is healthy again (successes lost to it being open)?
 */
public final class BreakerBursts {

    static final long SECOND = 1_000_000_000L;
    static final long DURATION = 120 * SECOND;
    static final double CALLS_PER_SECOND = 100;

    /** The breakers compared, each opening at 50 % failures once 20 calls are in its window. */
    public enum Variant {
        NONE("no breaker", "every call reaches the service"),
        COUNT("count window", "last 100 calls, 50 %, min 20 calls, open 2 s, 5 trial calls"),
        TIME("time window", "last 2 s, 50 %, min 20 calls, open 2 s, 5 trial calls");

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
            if (this == NONE) {
                return service::call;
            }
            var builder = CircuitBreakerPolicy.builder();
            builder = this == COUNT ? builder.countWindow(100) : builder.timeWindow(2);
            CircuitBreakerPolicy breaker = builder.failureRateThreshold(50)
                    .minimumCalls(20)
                    .openDuration(Duration.ofSeconds(2))
                    .halfOpenCalls(5)
                    .ticker(clock)
                    .build();
            return () -> breaker.callAsync(service::call);
        }
    }

    /**
     * What one breaker did.
     *
     * @param wastedRequests requests that reached the service while it was dead
     * @param lostSuccesses calls refused while the service was healthy: each would have succeeded
     * @param sparedRequests calls refused while the service was dead: load the breaker kept off it
     */
    public record Result(
            String policy,
            String configuration,
            long seed,
            long calls,
            long wastedRequests,
            long lostSuccesses,
            long sparedRequests,
            long succeeded,
            double deadSeconds)
            implements Labelled {}

    private BreakerBursts() {}

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
        Bursts bursts = new Bursts(random.split());
        SplittableRandom latencies = random.split();
        SplittableRandom arrivals = random.split();
        SimulatedService service =
                new SimulatedService(clock, () -> 5_000_000L + latencies.nextLong(10_000_000L), bursts::deadAt);
        Supplier<CompletableFuture<String>> caller = variant.caller(clock, service);
        long[] counts = new long[4]; // calls, lost successes, spared requests, succeeded
        long at = 0;
        while (true) {
            at += (long) (-Math.log(1.0 - arrivals.nextDouble()) / CALLS_PER_SECOND * 1e9);
            if (at >= DURATION) {
                break;
            }
            clock.at(Duration.ofNanos(at), () -> {
                counts[0]++;
                boolean dead = bursts.deadAt(clock.elapsed().toNanos());
                caller.get().whenComplete((value, failure) -> {
                    if (failure instanceof CircuitOpenException) {
                        counts[dead ? 2 : 1]++;
                    } else if (failure == null) {
                        counts[3]++;
                    }
                });
            });
        }
        clock.runAll();
        return new Result(
                variant.label,
                variant.configuration,
                seed,
                counts[0],
                service.attemptsWhileDown(),
                counts[1],
                counts[2],
                counts[3],
                bursts.deadNanos / (double) SECOND);
    }

    /** The dead periods, drawn once per run; the same seed gives every breaker the same ones. */
    private static final class Bursts {
        private final List<long[]> dead = new ArrayList<>();
        private long deadNanos;

        Bursts(SplittableRandom random) {
            long t = 0;
            while (t < DURATION) {
                t += 5 * SECOND + random.nextLong(10 * SECOND);
                long length = 2 * SECOND + random.nextLong(4 * SECOND);
                long end = Math.min(DURATION, t + length);
                if (t < end) {
                    dead.add(new long[] {t, end});
                    deadNanos += end - t;
                }
                t = end;
            }
        }

        boolean deadAt(long t) {
            for (long[] period : dead) {
                if (t >= period[0] && t < period[1]) {
                    return true;
                }
            }
            return false;
        }
    }
}
