package dev.retry.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One of the targets the benchmarks were built to check, each a ratio from a single run: our time
 * divided by a peer's, at most {@code limit}; or, with no peer, our bytes per call below {@code limit}.
 *
 * @param claim the target in words, as the report states it
 * @param benchmark the benchmark both variants belong to
 * @param ours our variant
 * @param peer the variant we are divided by; {@code null} for a target on allocation
 * @param limit the largest ratio that meets the target, or the bytes per call that an allocation
 *     target must stay below
 */
record Target(String claim, String benchmark, String ours, String peer, double limit) {

    /**
     * Below one byte per call is no allocation on the call's path: a single object is at least 16
     * bytes, and JMH's own noise on a path that allocates nothing is a few hundredths of a byte.
     */
    static final double NO_ALLOCATION = 1.0;

    /** The targets of the issue that asked for these benchmarks. */
    static final List<Target> ALL = List.of(
            new Target(
                    "Core retry + breaker: at most half of Resilience4j's time",
                    "CoreRetryBreakerBenchmark.retryBreaker",
                    "retry",
                    "resilience4j",
                    0.5),
            new Target(
                    "Core retry + breaker: 0 bytes allocated per call",
                    "CoreRetryBreakerBenchmark.retryBreaker",
                    "retry",
                    null,
                    NO_ALLOCATION),
            new Target(
                    "Annotated retry + breaker: at most twice the no-op interceptor (the floor)",
                    "AnnotationBenchmark.call",
                    "retryBreaker",
                    "noopInterceptor",
                    2.0),
            new Target(
                    "Annotated retry + breaker: at most half of Spring Framework 7's @Retryable",
                    "AnnotationBenchmark.call",
                    "retryBreaker",
                    "springRetryable",
                    0.5),
            new Target(
                    "Annotated retry + breaker: at most a tenth of Resilience4j's @Retry @CircuitBreaker",
                    "AnnotationBenchmark.call",
                    "retryBreaker",
                    "resilience4jRetryBreaker",
                    0.1),
            new Target(
                    "Core timeout that never fires: 0 bytes allocated per call",
                    "CoreTimeoutBulkheadBenchmark.timeout",
                    "retry",
                    null,
                    NO_ALLOCATION),
            new Target(
                    "Breaker under 2 threads: at most half of Resilience4j's time",
                    "CoreBreakerBenchmark.breakerTwoThreads",
                    "retry",
                    "resilience4j",
                    0.5));

    /**
     * What the run says about this target.
     *
     * @param ours our result with its confidence interval, as the report shows it
     * @param theirs the peer's result with its confidence interval; a dash for an allocation target
     * @param measured the measured ratio or bytes, as the report shows it
     * @param verdict met, not met, or not measured
     */
    record Outcome(String ours, String theirs, String measured, String verdict) {}

    Outcome judge(JmhRun run) {
        Optional<Result> mine = run.find(benchmark, ours);
        if (mine.isEmpty()) {
            return new Outcome("—", "—", "—", "not measured");
        }
        if (peer == null) {
            Result result = mine.get();
            double bytes = result.bytes();
            if (Double.isNaN(bytes)) {
                return new Outcome("—", "—", "—", "not measured (run without -prof gc)");
            }
            return new Outcome(
                    withError(bytes, result.bytesError(), "B"),
                    "—",
                    format("%.2f B/call", bytes),
                    bytes < limit ? "met" : "not met");
        }
        Optional<Result> theirs = run.find(benchmark, peer);
        if (theirs.isEmpty()) {
            return new Outcome(withError(mine.get().nanos(), mine.get().nanosError(), "ns"), "—", "—", "not measured");
        }
        Result a = mine.get();
        Result b = theirs.get();
        double ratio = a.nanos() / b.nanos();
        String measured = format("%.2f×", ratio);
        String verdict = ratio <= limit ? "met" : "not met";
        if (Double.isFinite(a.nanosError()) && Double.isFinite(b.nanosError()) && b.nanosLow() > 0) {
            // The ratio's range within both confidence intervals: a verdict the error could reverse says so.
            double low = a.nanosLow() / b.nanosHigh();
            double high = a.nanosHigh() / b.nanosLow();
            measured += format(" (%.2f–%.2f)", low, high);
            if (low <= limit && limit < high) {
                verdict += ", within the error";
            }
        }
        return new Outcome(
                withError(a.nanos(), a.nanosError(), "ns"),
                withError(b.nanos(), b.nanosError(), "ns"),
                measured,
                verdict);
    }

    /** A score with JMH's score error (the half-width of its 99.9 % confidence interval), where JMH gave one. */
    static String withError(double score, double error, String unit) {
        String value = Numbers.number(score);
        return Double.isFinite(error) ? value + " ± " + Numbers.number(error) + " " + unit : value + " " + unit;
    }

    /** The limit as the report states it. */
    String limitText() {
        return peer == null ? format("< %.0f B/call", limit) : format("≤ %.2f×", limit);
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
