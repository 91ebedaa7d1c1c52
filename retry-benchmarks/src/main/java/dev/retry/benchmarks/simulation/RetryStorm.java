package dev.retry.benchmarks.simulation;

import dev.retry.core.Backoff;
import dev.retry.core.Jitter;
import dev.retry.core.RetryPolicy;
import dev.retry.core.RetryPolicyBuilder;
import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A retry storm: 1000 clients each call a service once a second; it fails every request for 30 s,
 * then answers again, as many as its capacity of 1.5 times the clients' rate allows. How much load do the clients' retries put on it while it is down,
 * as a multiple of their own call rate, and how soon after it comes back do their calls stop
 * failing?
 *
 * <p>Every client has a policy of its own, as independent processes would: a budget or an adaptive
 * limit judges only the calls of the client it belongs to, never the others'. 10 s of healthy
 * traffic come first, so that budgets and adaptive windows hold a normal history when the outage
 * starts, as they would in production; 30 s follow the outage.
 */
public final class RetryStorm {

    static final int CLIENTS = 1000;
    /**
     * Requests per second the service can answer once it is back, 1.5 times the clients' rate;
     * beyond it, it sheds the excess (counted per 100 ms).
     */
    static final long CAPACITY = 1500;

    static final long SECOND = 1_000_000_000L;
    static final long OUTAGE_START = 10 * SECOND;
    static final long OUTAGE_END = OUTAGE_START + 30 * SECOND;
    static final long END = OUTAGE_END + 30 * SECOND;
    /** A call every second per client, each moved by up to this much either way. */
    static final long CALL_JITTER = 50_000_000L;
    /** Calls are grouped by when they end into buckets this long to read the failure rate. */
    static final long BUCKET = 100_000_000L;
    /** The failure rate below which the clients count as recovered. */
    static final double RECOVERED_BELOW = 0.01;

    /** The policies compared. */
    public enum Variant {
        NONE("no retry", "1 attempt"),
        NAIVE("naive retry", "3 attempts, fixed 100 ms, no jitter"),
        EXPONENTIAL_NO_JITTER("exponential, no jitter", "3 attempts, 100 ms doubling"),
        EXPONENTIAL_FULL("exponential, full jitter", "3 attempts, 100 ms doubling, full jitter"),
        EXPONENTIAL_EQUAL("exponential, equal jitter", "3 attempts, 100 ms doubling, equal jitter"),
        EXPONENTIAL_DECORRELATED("exponential, decorrelated jitter", "3 attempts, decorrelated jitter from 100 ms"),
        BUDGET("retry budget", "3 attempts, full jitter, budget ratio 0.1, no floor"),
        ADAPTIVE("adaptive", "3 attempts, full jitter, adaptive down to 1 attempt");

        private final String label;
        private final String configuration;

        Variant(String label, String configuration) {
            this.label = label;
            this.configuration = configuration;
        }

        public String label() {
            return label;
        }

        RetryPolicy policy(VirtualClock clock, SplittableRandom random) {
            RetryPolicyBuilder builder = RetryPolicy.builder()
                    .ticker(clock)
                    .sleeper(clock)
                    .scheduler(clock)
                    .random(random::nextDouble)
                    .delay(Duration.ofMillis(100));
            switch (this) {
                case NONE:
                    return builder.maxAttempts(1).build();
                case NAIVE:
                    return builder.maxAttempts(3)
                            .backoff(Backoff.FIXED)
                            .jitter(Jitter.NONE)
                            .build();
                case EXPONENTIAL_NO_JITTER:
                    return builder.maxAttempts(3).jitter(Jitter.NONE).build();
                case EXPONENTIAL_FULL:
                    return builder.maxAttempts(3).jitter(Jitter.FULL).build();
                case EXPONENTIAL_EQUAL:
                    return builder.maxAttempts(3).jitter(Jitter.EQUAL).build();
                case EXPONENTIAL_DECORRELATED:
                    return builder.maxAttempts(3).jitter(Jitter.DECORRELATED).build();
                case BUDGET:
                    return builder.maxAttempts(3)
                            .jitter(Jitter.FULL)
                            .budget(0.1, 0)
                            .build();
                case ADAPTIVE:
                    return builder.maxAttempts(3)
                            .jitter(Jitter.FULL)
                            .adaptive(1)
                            .build();
                default:
                    throw new AssertionError(this);
            }
        }
    }

    /**
     * What one policy did.
     *
     * @param outageLoad requests reaching the service during the outage ÷ calls the clients started
     *     in it (1.0 = no extra load)
     * @param peakLoad the busiest second of the outage, as a multiple of the clients' call rate
     * @param recoverySeconds from the end of the outage until the share of failing calls stays
     *     below 1 %
     * @param failedCalls calls whose outcome was a failure, over the whole run
     */
    public record Result(
            String policy,
            String configuration,
            long seed,
            double outageLoad,
            double peakLoad,
            double recoverySeconds,
            long calls,
            long attempts,
            long failedCalls)
            implements Labelled {}

    private RetryStorm() {}

    /** Every policy, each with the same seed and so the same client timings. */
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
        // 5-15 ms: a healthy and a failing answer take alike; the outage is an error, not a hang.
        SplittableRandom latencies = random.split();
        SimulatedService service = new SimulatedService(
                        clock,
                        () -> 5_000_000L + latencies.nextLong(10_000_000L),
                        t -> t >= OUTAGE_START && t < OUTAGE_END)
                .capacity(CAPACITY * SimulatedService.SLICE / SECOND);
        int buckets = (int) ((END + 60 * SECOND) / BUCKET);
        long[] ended = new long[buckets];
        long[] failed = new long[buckets];
        long[] counts = new long[3]; // calls, calls started during the outage, failed calls
        for (int i = 0; i < CLIENTS; i++) {
            RetryPolicy policy = variant.policy(clock, random.split());
            SplittableRandom timing = random.split();
            long offset = timing.nextLong(SECOND);
            new Client(clock, service, policy, timing, offset, ended, failed, counts).start();
        }
        clock.runAll();
        long outageCalls = counts[1];
        double load = (double) service.attemptsWhileDown() / outageCalls;
        return new Result(
                variant.label,
                variant.configuration,
                seed,
                load,
                peakLoad(service),
                recovery(ended, failed),
                counts[0],
                service.attempts(),
                counts[2]);
    }

    /** The busiest second of the outage over the clients' rate of one call a second each. */
    private static double peakLoad(SimulatedService service) {
        long peak = 0;
        for (int s = (int) (OUTAGE_START / SECOND); s < OUTAGE_END / SECOND; s++) {
            peak = Math.max(peak, service.attemptsInSecond(s));
        }
        return (double) peak / CLIENTS;
    }

    /** The start of the first bucket after the outage from which every bucket fails below 1 %. */
    private static double recovery(long[] ended, long[] failed) {
        int first = (int) (OUTAGE_END / BUCKET);
        int recovered = first;
        for (int b = first; b < ended.length; b++) {
            if (ended[b] > 0 && (double) failed[b] / ended[b] >= RECOVERED_BELOW) {
                recovered = b + 1;
            }
        }
        return (recovered - first) * (double) BUCKET / SECOND;
    }

    /** One client: a call a second, each through its own policy, until the run ends. */
    private static final class Client {
        private final VirtualClock clock;
        private final SimulatedService service;
        private final RetryPolicy policy;
        private final SplittableRandom timing;
        private final long offset;
        private final long[] ended;
        private final long[] failed;
        private final long[] counts;
        private long next;

        Client(
                VirtualClock clock,
                SimulatedService service,
                RetryPolicy policy,
                SplittableRandom timing,
                long offset,
                long[] ended,
                long[] failed,
                long[] counts) {
            this.clock = clock;
            this.service = service;
            this.policy = policy;
            this.timing = timing;
            this.offset = offset;
            this.ended = ended;
            this.failed = failed;
            this.counts = counts;
        }

        void start() {
            scheduleNext();
        }

        private void scheduleNext() {
            long at = next * SECOND + offset + timing.nextLong(-CALL_JITTER, CALL_JITTER + 1);
            next++;
            if (at < END) {
                clock.at(Duration.ofNanos(Math.max(0, at)), this::call);
            }
        }

        private void call() {
            long start = clock.elapsed().toNanos();
            counts[0]++;
            if (start >= OUTAGE_START && start < OUTAGE_END) {
                counts[1]++;
            }
            policy.callAsync(service::call).whenComplete((value, failure) -> {
                int bucket = (int) (clock.elapsed().toNanos() / BUCKET);
                ended[bucket]++;
                if (failure != null) {
                    failed[bucket]++;
                    counts[2]++;
                }
            });
            scheduleNext();
        }
    }
}
