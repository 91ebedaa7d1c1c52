package dev.retry.benchmarks.simulation;

import dev.retry.core.Jitter;
import dev.retry.core.RetryPolicy;
import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The thundering herd, after the AWS Architecture Blog's study "Exponential Backoff And Jitter"
 * (2015): why jitter matters, which the retry storm cannot show because its service is dead
 * whatever the timing.
 *
 * <p>A crowd of clients each have one call to make, and make it within the first {@value
 * #BLIP_MILLIS} ms; the service blips for exactly that long, so every first attempt fails and the
 * whole crowd retries on the same schedule. Once back, the service works on a limited number of
 * requests at once (each takes 5 to 15 ms) and refuses any beyond that straight away, as a row
 * under optimistic concurrency fails the writes that race the one it accepts. Each client retries
 * through a {@link RetryPolicy} of its own, with the library's defaults apart from the jitter, the
 * backoff's delays and the attempts, until its call succeeds. Measured, for each jitter kind: the
 * requests that reached the service (the study's "calls", its measure of work), the busiest {@value
 * #BUCKET_MILLIS} ms after the blip against what the service can take in that time, and the time
 * from the blip until the last client got through (the study's "time to complete").
 *
 * <p>Two {@link Setting}s: the study's own (a base delay of 5 ms, a cap of 2 s, one request at a
 * time, as its single row takes one write at a time; 100 clients), and the library's defaults (100
 * ms, 10 s) before a service that takes 20 requests at once, with 1000 clients. Each is also run
 * for several crowd sizes, as the study plots its results against the number of clients.
 *
 * <p>Without jitter, the clients that were refused together wait the same time and come back
 * together: each round only about a capacity's worth of the crowd gets through, the rest are
 * refused again, and the rounds grow further apart with the backoff until it reaches its cap. Any
 * jitter spreads a round over its delay, so later rounds meet a service that has room.
 *
 * <p>Every number is the mean of {@value #RUNS} runs, each with its own seed drawn from the one
 * given, as the study averaged its runs; within a run, every client's start, latencies and jitter
 * come from the seed, so the same seed gives the same numbers on any machine.
 */
public final class ThunderingHerd {

    static final long MILLI = 1_000_000L;
    static final int BLIP_MILLIS = 20;
    static final long BLIP = BLIP_MILLIS * MILLI;
    /** A request takes between these two, uniformly. */
    static final long LATENCY_MIN = 5 * MILLI;

    static final long LATENCY_SPAN = 10 * MILLI;
    /** The mean time a request holds its place: with the capacity, what the service can take. */
    static final long MEAN_LATENCY = LATENCY_MIN + LATENCY_SPAN / 2;

    static final int BUCKET_MILLIS = 10;
    static final long BUCKET = BUCKET_MILLIS * MILLI;
    /** Never reached: the study's clients retry until they succeed. */
    static final int MAX_ATTEMPTS = 1000;

    static final int RUNS = 10;

    /**
     * The two settings compared: the study's own numbers, and what a user of this library gets by
     * default.
     */
    public enum Setting {
        STUDY("the study's setting", 100, 1, Duration.ofMillis(5), Duration.ofSeconds(2), List.of(25, 50, 100, 200)),
        DEFAULTS(
                "the library's defaults",
                1000,
                20,
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                List.of(250, 500, 1000));

        private final String label;
        private final int clients;
        private final int capacity;
        private final Duration delay;
        private final Duration maxDelay;
        private final List<Integer> sweep;

        Setting(String label, int clients, int capacity, Duration delay, Duration maxDelay, List<Integer> sweep) {
            this.label = label;
            this.clients = clients;
            this.capacity = capacity;
            this.delay = delay;
            this.maxDelay = maxDelay;
            this.sweep = sweep;
        }

        public String label() {
            return label;
        }

        int clients() {
            return clients;
        }

        int capacity() {
            return capacity;
        }

        /** The backoff every kind shares, in words. */
        String backoff() {
            return "exponential from " + text(delay) + ", doubling, at most " + text(maxDelay);
        }

        private static String text(Duration duration) {
            return duration.compareTo(Duration.ofSeconds(1)) < 0
                    ? duration.toMillis() + " ms"
                    : duration.toSeconds() + " s";
        }
    }

    /** The jitter kinds compared; the backoff is the setting's, every other option the library's default. */
    public enum Variant {
        NONE("no jitter", Jitter.NONE),
        FULL("full jitter", Jitter.FULL),
        EQUAL("equal jitter", Jitter.EQUAL),
        DECORRELATED("decorrelated jitter", Jitter.DECORRELATED);

        private final String label;
        private final Jitter jitter;

        Variant(String label, Jitter jitter) {
            this.label = label;
            this.jitter = jitter;
        }

        public String label() {
            return label;
        }

        String configuration() {
            switch (this) {
                case NONE:
                    return "delay = min(cap, d × 2^(n−1))";
                case FULL:
                    return "uniform in [0, that delay]";
                case EQUAL:
                    return "uniform in [half that delay, that delay]";
                case DECORRELATED:
                    return "uniform in [d, 3 × the previous delay], at most the cap";
                default:
                    throw new AssertionError(this);
            }
        }

        RetryPolicy policy(Setting setting, VirtualClock clock, SplittableRandom random) {
            return RetryPolicy.builder()
                    .ticker(clock)
                    .sleeper(clock)
                    .scheduler(clock)
                    .random(random::nextDouble)
                    .maxAttempts(MAX_ATTEMPTS)
                    .delay(setting.delay)
                    .maxDelay(setting.maxDelay)
                    .jitter(jitter)
                    .build();
        }
    }

    /**
     * What one jitter kind did in one setting and crowd size, each figure the mean over {@code runs}
     * runs.
     *
     * @param calls requests that reached the service, first attempts included
     * @param peakLoad the busiest {@value #BUCKET_MILLIS} ms after the blip, as a multiple of the
     *     requests the service can take in that time
     * @param secondsUntilAllSucceeded from the start of the blip until the last client's call
     *     succeeded
     * @param gaveUp calls that ran out of attempts, summed over the runs: zero, or the time would
     *     not be the time until every client succeeded
     */
    public record Result(
            String policy,
            String configuration,
            long seed,
            int clients,
            int runs,
            double calls,
            double peakLoad,
            double secondsUntilAllSucceeded,
            long gaveUp)
            implements Labelled {

        /** Requests per client: one would be a crowd that never collided. */
        public double callsPerClient() {
            return calls / clients;
        }
    }

    /**
     * One setting: every kind at its main crowd size, and the sweep over crowd sizes.
     *
     * @param capacity requests the service works on at once
     * @param results one per kind, in the order of {@link Variant}
     * @param sweep every kind at each crowd size of the setting's sweep, the kinds in order within a size
     */
    public record Herd(
            String setting,
            String backoff,
            long seed,
            int clients,
            int capacity,
            int blipMillis,
            int runs,
            List<Result> results,
            List<Result> sweep) {

        public Herd {
            results = List.copyOf(results);
            sweep = List.copyOf(sweep);
        }
    }

    private ThunderingHerd() {}

    /** Both settings, each with the same seed. */
    public static List<Herd> run(long seed) {
        List<Herd> herds = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            herds.add(run(setting, seed));
        }
        return herds;
    }

    public static Herd run(Setting setting, long seed) {
        List<Result> results = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            results.add(run(setting, variant, setting.clients, seed));
        }
        List<Result> sweep = new ArrayList<>();
        for (int clients : setting.sweep) {
            for (Variant variant : Variant.values()) {
                sweep.add(
                        clients == setting.clients
                                ? results.get(variant.ordinal())
                                : run(setting, variant, clients, seed));
            }
        }
        return new Herd(
                setting.label,
                setting.backoff(),
                seed,
                setting.clients,
                setting.capacity,
                BLIP_MILLIS,
                RUNS,
                results,
                sweep);
    }

    /** One kind and crowd size, the mean of {@value #RUNS} runs; every kind gets the same runs' seeds. */
    public static Result run(Setting setting, Variant variant, int clients, long seed) {
        SplittableRandom seeds = new SplittableRandom(seed);
        double calls = 0;
        double peak = 0;
        double seconds = 0;
        long gaveUp = 0;
        for (int i = 0; i < RUNS; i++) {
            Run run = once(setting, variant, clients, seeds.nextLong());
            calls += run.calls;
            peak += run.peakLoad;
            seconds += run.lastSuccess / 1e9;
            gaveUp += run.gaveUp;
        }
        return new Result(
                variant.label,
                variant.configuration(),
                seed,
                clients,
                RUNS,
                calls / RUNS,
                peak / RUNS,
                seconds / RUNS,
                gaveUp);
    }

    private record Run(long calls, double peakLoad, long lastSuccess, long gaveUp) {}

    private static Run once(Setting setting, Variant variant, int clients, long seed) {
        VirtualClock clock = new VirtualClock();
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom latencies = random.split();
        ContendedService service = new ContendedService(
                clock, setting.capacity, () -> LATENCY_MIN + latencies.nextLong(LATENCY_SPAN + 1), BLIP, BUCKET);
        long[] outcome = new long[2]; // the last success's time, calls that gave up
        for (int i = 0; i < clients; i++) {
            RetryPolicy policy = variant.policy(setting, clock, random.split());
            clock.at(
                    Duration.ofNanos(random.nextLong(BLIP)),
                    () -> policy.callAsync(service::call).whenComplete((value, failure) -> {
                        if (failure == null) {
                            outcome[0] = Math.max(outcome[0], clock.elapsed().toNanos());
                        } else {
                            outcome[1]++;
                        }
                    }));
        }
        clock.runAll();
        double takenPerBucket = (double) setting.capacity * BUCKET / MEAN_LATENCY;
        return new Run(service.calls(), service.busiestBucketFrom(BLIP) / takenPerBucket, outcome[0], outcome[1]);
    }
}
