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
 * @param limit the largest ratio that meets the target, the bytes per call that an allocation
 *     target must stay below, or the nanoseconds an {@link Kind#AT_MOST_PEER_PLUS} target allows
 * @param kind what is compared
 * @param clockBenchmark the benchmark of one clock read, for {@link Kind#AT_MOST_PEER_PLUS}; else null
 * @param clockReads how many clock reads an {@link Kind#AT_MOST_PEER_PLUS} target allows
 */
record Target(
        String claim,
        String benchmark,
        String ours,
        String peer,
        double limit,
        Kind kind,
        String clockBenchmark,
        int clockReads) {

    /** What a target compares. */
    enum Kind {
        /** Our time divided by the peer's, at most {@code limit}. */
        RATIO,
        /** Our bytes per call, below {@code limit}. */
        BYTES,
        /** Our bytes per call at most the peer's plus {@code limit}, give or take {@link #NO_ALLOCATION}. */
        BYTES_AT_MOST_PEER,
        /** Our time at most {@code limit} ns, whatever the peers took: a floor stated in absolute time. */
        AT_MOST_NANOS,
        /** Our time at most the peer's plus {@code clockReads} readings of the clock plus {@code limit} ns. */
        AT_MOST_PEER_PLUS
    }

    /** A ratio target, or with no peer a bytes target. */
    Target(String claim, String benchmark, String ours, String peer, double limit) {
        this(claim, benchmark, ours, peer, limit, peer == null ? Kind.BYTES : Kind.RATIO, null, 0);
    }

    /**
     * Our time at most the peer's, from the same run, plus {@code clockReads} times what one read of
     * the clock ({@code ClockReadBenchmark.nanoTime}) cost in that run, plus {@code extraNanos}.
     */
    static Target atMostPlus(
            String claim, String benchmark, String ours, String peer, int clockReads, double extraNanos) {
        return new Target(claim, benchmark, ours, peer, extraNanos, Kind.AT_MOST_PEER_PLUS, CLOCK_READ, clockReads);
    }

    /** Our bytes per call no more than the peer's, from the same run. */
    static Target bytesAtMost(String claim, String benchmark, String ours, String peer) {
        return bytesAtMostPlus(claim, benchmark, ours, peer, 0);
    }

    /** Our bytes per call no more than the peer's plus {@code extraBytes}, from the same run. */
    static Target bytesAtMostPlus(String claim, String benchmark, String ours, String peer, double extraBytes) {
        return new Target(claim, benchmark, ours, peer, extraBytes, Kind.BYTES_AT_MOST_PEER, null, 0);
    }

    /**
     * Our time at most {@code nanos}: for the floors given in absolute time. Such a number
     * belongs to one machine, so the report shows the clock read of the same run beside it.
     */
    static Target atMostNanos(String claim, String benchmark, String ours, double nanos) {
        return new Target(claim, benchmark, ours, null, nanos, Kind.AT_MOST_NANOS, CLOCK_READ, 0);
    }

    /** The benchmark of one clock read, which has no variants. */
    static final String CLOCK_READ = "ClockReadBenchmark.nanoTime";

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
                    0.5),
            atMostPlus(
                    "Spring Boot application, @Retryable @CircuitBreaker with the Prometheus registry: at most "
                            + "meters off + 2 clock reads + 10 ns",
                    "SpringBootApplicationBenchmark.call",
                    "metersOn",
                    "metersOff",
                    2,
                    10.0),
            atMostPlus(
                    "Spring Boot application, the same with retry.call.attempts disabled (the one meter a registry "
                            + "updates per call): at most meters off + 2 clock reads + 10 ns",
                    "SpringBootApplicationBenchmark.call",
                    "metersOnWithoutAttemptsSummary",
                    "metersOff",
                    2,
                    10.0),
            bytesAtMost(
                    "Spring Boot application, meters on: no bytes beyond meters off (Spring's invocation object)",
                    "SpringBootApplicationBenchmark.call",
                    "metersOn",
                    "metersOff"),
            new Target(
                    "Spring Boot application, meters on: at most 0.66x Spring Framework 7's @Retryable",
                    "SpringBootApplicationBenchmark.call",
                    "metersOn",
                    "springRetryable",
                    0.66),
            atMostPlus(
                    "Observations with ObservationRegistry.NOOP: at most the call without a registry + 2 ns",
                    "ObservationBenchmark.call",
                    "noopRegistry",
                    "off",
                    0,
                    2.0),
            atMostNanos(
                    "Core timeout that never fires: at most 100 ns",
                    "CoreTimeoutBulkheadBenchmark.timeout",
                    "retry",
                    100),
            atMostNanos(
                    "Core asynchronous timeout that never fires: at most 100 ns",
                    "CoreTimeoutBulkheadBenchmark.timeoutAsync",
                    "retry",
                    100),
            bytesAtMost(
                    "Core asynchronous timeout that never fires: no bytes beyond the user's own future",
                    "CoreTimeoutBulkheadBenchmark.timeoutAsync",
                    "retry",
                    "direct"),
            atMostNanos(
                    "Core asynchronous hedge, primary wins: at most 400 ns",
                    "CoreHedgeBenchmark.hedgeAsync",
                    "retry",
                    400),
            bytesAtMostPlus(
                    "Core asynchronous hedge, primary wins: one allocation beyond the user's own future, the call's"
                            + " execution (96 B)",
                    "CoreHedgeBenchmark.hedgeAsync",
                    "retry",
                    "direct",
                    96));

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
        if (kind == Kind.AT_MOST_PEER_PLUS) {
            return judgeAtMostPlus(run, mine.get());
        }
        if (kind == Kind.BYTES_AT_MOST_PEER) {
            return judgeBytesAtMost(run, mine.get());
        }
        if (kind == Kind.AT_MOST_NANOS) {
            return judgeAtMostNanos(run, mine.get());
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

    private Outcome judgeAtMostPlus(JmhRun run, Result a) {
        Optional<Result> theirs = run.find(benchmark, peer);
        Optional<Result> clock = clockReads == 0 ? Optional.empty() : run.find(clockBenchmark, "");
        if (theirs.isEmpty() || (clockReads > 0 && clock.isEmpty())) {
            return new Outcome(withError(a.nanos(), a.nanosError(), "ns"), "—", "—", "not measured");
        }
        Result b = theirs.get();
        double clockNanos = clock.map(Result::nanos).orElse(0.0);
        double allowed = b.nanos() + clockReads * clockNanos + limit;
        String peerText = withError(b.nanos(), b.nanosError(), "ns");
        if (clockReads > 0) {
            peerText += format(" + %d × %s clock read", clockReads, Numbers.number(clockNanos));
        }
        String verdict = a.nanos() <= allowed ? "met" : "not met";
        if (Double.isFinite(a.nanosError()) && Double.isFinite(b.nanosError())) {
            double low = a.nanosLow() - b.nanosHigh();
            double high = a.nanosHigh() - b.nanosLow();
            double allowedAbove = clockReads * clockNanos + limit;
            if (low <= allowedAbove && allowedAbove < high) {
                verdict += ", within the error";
            }
        }
        return new Outcome(
                withError(a.nanos(), a.nanosError(), "ns"),
                peerText,
                format(
                        "+%s ns (allowed +%s)",
                        Numbers.number(a.nanos() - b.nanos()), Numbers.number(allowed - b.nanos())),
                verdict);
    }

    private Outcome judgeBytesAtMost(JmhRun run, Result a) {
        Optional<Result> theirs = run.find(benchmark, peer);
        if (theirs.isEmpty()
                || Double.isNaN(a.bytes())
                || Double.isNaN(theirs.get().bytes())) {
            return new Outcome("—", "—", "—", "not measured (run without -prof gc)");
        }
        Result b = theirs.get();
        return new Outcome(
                withError(a.bytes(), a.bytesError(), "B"),
                withError(b.bytes(), b.bytesError(), "B"),
                format("%+.2f B/call", a.bytes() - b.bytes()),
                a.bytes() < b.bytes() + limit + NO_ALLOCATION ? "met" : "not met");
    }

    private Outcome judgeAtMostNanos(JmhRun run, Result a) {
        String clockText = run.find(clockBenchmark, "")
                .map(clock -> "one clock read: " + Numbers.number(clock.nanos()) + " ns")
                .orElse("—");
        return new Outcome(
                withError(a.nanos(), a.nanosError(), "ns"),
                clockText,
                format("%s ns", Numbers.number(a.nanos())),
                atMostVerdict(a, limit));
    }

    /** Whether {@code a} took at most {@code limitNanos}, and whether its confidence interval could reverse that. */
    static String atMostVerdict(Result a, double limitNanos) {
        String verdict = a.nanos() <= limitNanos ? "met" : "not met";
        if (Double.isFinite(a.nanosError()) && a.nanosLow() <= limitNanos && limitNanos < a.nanosHigh()) {
            verdict += ", within the error";
        }
        return verdict;
    }

    /** A score with JMH's score error (the half-width of its 99.9 % confidence interval), where JMH gave one. */
    static String withError(double score, double error, String unit) {
        String value = Numbers.number(score);
        return Double.isFinite(error) ? value + " ± " + Numbers.number(error) + " " + unit : value + " " + unit;
    }

    /** The limit as the report states it. */
    String limitText() {
        return switch (kind) {
            case BYTES -> format("< %.0f B/call", limit);
            case BYTES_AT_MOST_PEER ->
                limit > 0 ? format("≤ %s's bytes + %.0f B", peer, limit) : "≤ " + peer + "'s bytes";
            case AT_MOST_NANOS -> format("≤ %.0f ns", limit);
            case AT_MOST_PEER_PLUS ->
                clockReads > 0
                        ? format("≤ %s + %d clock reads + %.0f ns", peer, clockReads, limit)
                        : format("≤ %s + %.0f ns", peer, limit);
            case RATIO -> format("≤ %.2f×", limit);
        };
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
