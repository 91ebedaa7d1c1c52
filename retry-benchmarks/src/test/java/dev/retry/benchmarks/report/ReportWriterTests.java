package dev.retry.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report writer on a small hand-made JMH result: what it claims must follow from the numbers. */
class ReportWriterTests {

    @TempDir
    Path directory;

    @Test
    void reportsTheTargetsMetAndNotMetWithTheirRatios() throws IOException {
        String report = write(run(
                entry("CoreRetryBreakerBenchmark.retryBreaker", "direct", 1, 2.0, 0.1, 0.0),
                entry("CoreRetryBreakerBenchmark.retryBreaker", "retry", 1, 40.0, 1.0, 0.01),
                entry("CoreRetryBreakerBenchmark.retryBreaker", "resilience4j", 1, 100.0, 2.0, 80.0),
                entry("CoreBreakerBenchmark.breakerTwoThreads", "retry", 2, 60.0, 1.0, 0.0),
                entry("CoreBreakerBenchmark.breakerTwoThreads", "resilience4j", 2, 100.0, 1.0, 80.0)));

        assertThat(report)
                .contains("| Core retry + breaker: at most half of Resilience4j's time | ≤ 0.50× "
                        + "| 40.0 ± 1.00 ns | 100 ± 2.00 ns | 0.40× (0.38–0.42) | **met** |");
        assertThat(report)
                .contains("| Core retry + breaker: 0 bytes allocated per call | < 1 B/call | 0.01 B | — "
                        + "| 0.01 B/call | **met** |");
        assertThat(report)
                .contains("| Breaker under 2 threads: at most half of Resilience4j's time | ≤ 0.50× "
                        + "| 60.0 ± 1.00 ns | 100 ± 1.00 ns | 0.60× (0.58–0.62) | _not met_ |");
        assertThat(report)
                .contains("| Annotated retry + breaker: at most twice the no-op interceptor (the floor) "
                        + "| ≤ 2.00× | — | — | — | not measured |");
        assertThat(report).doesNotContain("Not a measurement");
    }

    @Test
    void judgesTheMetersTargetsAgainstMetersOffAndTheClockReadOfTheSameRun() throws IOException {
        String report = write(run(
                entry("ClockReadBenchmark.nanoTime", "", 1, 20.0, 0.5, 0.0),
                entry("SpringBootApplicationBenchmark.call", "metersOff", 1, 40.0, 1.0, 24.0),
                entry("SpringBootApplicationBenchmark.call", "metersOn", 1, 85.0, 1.0, 24.0),
                entry("SpringBootApplicationBenchmark.call", "springRetryable", 1, 140.0, 2.0, 200.0),
                entry("ObservationBenchmark.call", "off", 1, 40.0, 1.0, 0.0),
                entry("ObservationBenchmark.call", "noopRegistry", 1, 45.0, 1.0, 0.0)));

        assertThat(report)
                .as("85 ns is within 40 + 2 x 20 + 10 = 90 ns")
                .contains("| ≤ metersOff + 2 clock reads + 10 ns | 85.0 ± 1.00 ns "
                        + "| 40.0 ± 1.00 ns + 2 × 20.0 clock read | +45.0 ns (allowed +50.0) | **met** |");
        assertThat(report).contains("| ≤ metersOff's bytes | 24.0 B | 24.0 B | +0.00 B/call | **met** |");
        assertThat(report)
                .as("5 ns above no registry is more than the 2 ns allowed")
                .contains("| ≤ off + 2 ns | 45.0 ± 1.00 ns | 40.0 ± 1.00 ns | +5.00 ns (allowed +2.00) | _not met_ |");
    }

    @Test
    void judgesTheFloorsGivenInAbsoluteTimeAndTheHedgesOneAllocation() throws IOException {
        String report = write(run(
                entry("ClockReadBenchmark.nanoTime", "", 1, 20.0, 0.5, 0.0),
                entry("CoreHedgeBenchmark.hedgeAsync", "direct", 1, 10.0, 0.5, 24.0),
                entry("CoreHedgeBenchmark.hedgeAsync", "retry", 1, 450.0, 10.0, 152.0),
                entry("CoreTimeoutBulkheadBenchmark.timeoutAsync", "direct", 1, 10.0, 0.5, 24.0),
                entry("CoreTimeoutBulkheadBenchmark.timeoutAsync", "retry", 1, 60.0, 1.0, 24.0)));

        assertThat(report)
                .as("450 ns is above the 400 ns floor, and the error cannot bring it below")
                .contains("| ≤ 400 ns | 450 ± 10.0 ns | one clock read: 20.0 ns | 450 ns | _not met_ |");
        assertThat(report)
                .as("152 B is more than the user's 24 B plus the 96 B execution: a second allocation")
                .contains("| ≤ direct's bytes + 96 B | 152 B | 24.0 B | +128.00 B/call | _not met_ |");
        assertThat(report).contains("| ≤ 100 ns | 60.0 ± 1.00 ns | one clock read: 20.0 ns | 60.0 ns | **met** |");
        assertThat(report).contains("| ≤ direct's bytes | 24.0 B | 24.0 B | +0.00 B/call | **met** |");
    }

    @Test
    void namesEveryRivalThatIsFasterOrLeaner() throws IOException {
        String report = write(run(
                entry("AnnotationBenchmark.call", "noopInterceptor", 1, 10.0, 0.5, 24.0),
                entry("AnnotationBenchmark.call", "retryBreaker", 1, 30.0, 0.5, 96.0),
                entry("AnnotationBenchmark.call", "springRetryable", 1, 25.0, 0.5, 48.0),
                entry("AnnotationBenchmark.call", "resilience4jRetryBreaker", 1, 500.0, 5.0, 900.0)));

        assertThat(report)
                .contains("**Not ahead:** retry @Retryable @CircuitBreaker (ours) is slower than "
                        + "Spring Framework @Retryable (1.20× its time).");
        assertThat(report)
                .contains("retry @Retryable @CircuitBreaker (ours) costs 20.0 ns per call over the "
                        + "no-op interceptor (floor).");
        assertThat(report)
                .contains("**Not ahead:** retry @Retryable @CircuitBreaker (ours) allocates more than "
                        + "Spring Framework @Retryable (48.0 against 96.0 bytes).");
        assertThat(report)
                .contains("| Annotated retry + breaker: at most a tenth of Resilience4j's @Retry @CircuitBreaker "
                        + "| ≤ 0.10× | 30.0 ± 0.50 ns | 500 ± 5.00 ns | 0.06× (0.06–0.06) | **met** |");
        assertThat(report)
                .contains("| **retry @Retryable @CircuitBreaker (ours)** | 30.0 | 0.50 | 96.0 | 3.00× | 1.00× |");
    }

    @Test
    void neitherHidesAnOverlapNorReportsANegativeCost() throws IOException {
        String report = write(run(
                entry("CoreHedgeBenchmark.hedge", "executorHop", 1, 40_000.0, 9_000.0, 135.0),
                entry("CoreHedgeBenchmark.hedge", "retry", 1, 38_000.0, 6_000.0, 480.0),
                entry("AnnotationBenchmark.call", "retryBreaker", 1, 123.0, 30.0, 264.0),
                entry("AnnotationBenchmark.call", "springRetryable", 1, 122.0, 57.0, 864.0)));

        assertThat(report)
                .contains("retry (ours) measured 2,000 ns per call below the executor hop (floor), which "
                        + "does less than it: noise, read it as no more than the floor.");
        assertThat(report).contains("is slower than Spring Framework @Retryable (1.01× its time, within the error).");
    }

    @Test
    void saysWhenTheErrorCouldReverseAVerdict() {
        JmhRun run = run(
                entry("CoreRetryBreakerBenchmark.retryBreaker", "retry", 1, 50.0, 5.0, 0.0),
                entry("CoreRetryBreakerBenchmark.retryBreaker", "resilience4j", 1, 100.0, 5.0, 80.0));

        assertThat(Target.ALL.get(0).judge(run))
                .isEqualTo(new Target.Outcome(
                        "50.0 ± 5.00 ns", "100 ± 5.00 ns", "0.50× (0.43–0.58)", "met, within the error"));
    }

    @Test
    void drawsOneChartPerGroupAndLinksItFromTheReport() throws IOException {
        String report = write(run(
                entry("CoreRetryBenchmark.retry", "direct", 1, 1.0, 0.1, 0.0),
                entry("CoreRetryBenchmark.retry", "retry", 1, 10.0, 0.2, 0.0),
                entry("CoreRetryBenchmark.retry", "failsafe", 1, 300.0, 9.0, 480.0)));

        Path chart = directory.resolve("docs/benchmarks/core-retry.png");
        assertThat(report).contains("![Core: a retry policy](docs/benchmarks/core-retry.png)");
        assertThat(report).doesNotContain("core-breaker.png");
        try (InputStream in = Files.newInputStream(chart)) {
            assertThat(in.readNBytes(4)).containsExactly(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void saysSoWhenTheRunCannotMeanAnything() throws IOException {
        String json = "["
                + entry("CoreRetryBenchmark.retry", "retry", 1, 10.0, Double.NaN, 0.0)
                        .replace("\"forks\": 2", "\"forks\": 0")
                + "]";

        assertThat(write(JmhRun.parse(JsonParser.parseString(json)))).contains("> **Not a measurement.**");
    }

    @Test
    void readsTheVersionsMavenResolved() {
        Versions versions = Versions.parse(List.of(
                "The following files have been resolved:",
                "   io.github.resilience4j:resilience4j-core:jar:2.4.0:compile -- module io.github.resilience4j.core [auto]",
                "   org.springframework:spring-core:jar:7.0.10:compile -- module spring.core [auto]",
                "   org.slf4j:slf4j-nop:jar:2.0.20:runtime"));

        assertThat(versions.of("io.github.resilience4j:resilience4j-core")).contains("2.4.0");
        assertThat(versions.of("org.springframework:spring-core")).contains("7.0.10");
        assertThat(versions.of("org.slf4j:slf4j-nop")).contains("2.0.20");
        assertThat(versions.of("dev.failsafe:failsafe")).isEmpty();
    }

    @Test
    void opensWithTheRatioTableAndTheMachinesLoadBesideIt() throws IOException {
        MachineLoad load = MachineLoad.parse(
                List.of("start 2026-12-03T08:00:00Z 0.15 0.30 0.40 2", "end 2026-12-03T08:15:00Z 1.20 1.10 0.90 2"));

        String report = write(
                run(
                        entry("CoreRetryBreakerBenchmark.retryBreaker", "retry", 1, 20.9, 3.8, 0.0),
                        entry("CoreRetryBreakerBenchmark.retryBreaker", "resilience4j", 1, 120.0, 9.2, 104.0),
                        entry("CoreRetryBenchmark.retry", "retry", 1, 13.0, 2.14, 0.0)),
                load);

        assertThat(report.indexOf("## Targets"))
                .as("the ratio table comes before every group")
                .isPositive()
                .isLessThan(report.indexOf("## Core: a retry policy"));
        assertThat(report.indexOf("**Machine load**"))
                .isBetween(report.indexOf("## Targets"), report.indexOf("## Core: a retry policy"));
        assertThat(report)
                .contains("| Core retry + breaker: at most half of Resilience4j's time | ≤ 0.50× "
                        + "| 20.9 ± 3.80 ns | 120 ± 9.20 ns | 0.17× (0.13–0.22) | **met** |");
        assertThat(report)
                .contains(
                        "**Machine load** (load average over 1 / 5 / 15 min): at the start 0.15 / 0.30 / "
                                + "0.40 on 2 CPUs (2026-12-03T08:00:00Z), at the end 1.20 / 1.10 / 0.90 on 2 CPUs "
                                + "(2026-12-03T08:15:00Z). The end's one-minute figure includes the benchmark's own thread, about 1.");
        assertThat(report)
                .as("a quiet machine with the benchmark's own thread on it")
                .doesNotContain("Busy machine");
    }

    @Test
    void warnsWhenTheMachineWasBusyBeforeOrBeyondTheBenchmarksOwnThread() throws IOException {
        JmhRun run = run(entry("CoreRetryBenchmark.retry", "retry", 1, 13.0, 2.14, 0.0));

        assertThat(write(run, MachineLoad.parse(List.of("start t 1.50 1.0 1.0 2", "end t 1.10 1.0 1.0 2"))))
                .as("busy before the run")
                .contains("> **Busy machine.**");
        assertThat(write(run, MachineLoad.parse(List.of("start t 0.10 0.1 0.1 2", "end t 2.30 1.0 1.0 2"))))
                .as("busy beyond the benchmark's thread as it ended")
                .contains("> **Busy machine.**");
        assertThat(write(run, MachineLoad.parse(List.of("start t 0.90 0.1 0.1 2", "end t 1.90 1.0 1.0 2"))))
                .as("at most half the CPUs besides its own thread")
                .doesNotContain("Busy machine");
    }

    @Test
    void saysSoWhenTheLoadWasNotRecordedOrCannotBeRead() throws IOException {
        JmhRun run = run(entry("CoreRetryBenchmark.retry", "retry", 1, 13.0, 2.14, 0.0));

        assertThat(write(run)).contains("**Machine load** (load average over 1 / 5 / 15 min): not recorded;");
        assertThat(write(
                        run,
                        MachineLoad.parse(List.of(
                                "start 2026-12-03T08:00:00Z ? ? ? 2", "end 2026-12-03T08:15:00Z 0.50 0.40 0.30 2"))))
                .contains("at the start not recorded, at the end 0.50 / 0.40 / 0.30 on 2 CPUs");
    }

    @Test
    void printsTheRatioTableAndTheLoadWhenRunFromTheCommandLine() throws IOException {
        Path results = directory.resolve("jmh.json");
        Files.writeString(
                results,
                "[" + entry("CoreRetryBreakerBenchmark.retryBreaker", "retry", 1, 20.9, 3.8, 0.0) + ","
                        + entry("CoreRetryBreakerBenchmark.retryBreaker", "resilience4j", 1, 120.0, 9.2, 104.0) + "]");
        Path load = directory.resolve("machine-load.txt");
        Files.writeString(
                load, "start 2026-12-03T08:00:00Z 0.15 0.30 0.40 2\nend 2026-12-03T08:15:00Z 1.20 1.10 0.90 2\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ReportWriter.main(new String[] {
                "--results",
                results.toString(),
                "--load",
                load.toString(),
                "--output",
                directory.resolve("BENCHMARKS.md").toString(),
                "--charts",
                directory.resolve("docs/benchmarks").toString()
            });
        } finally {
            System.setOut(console);
        }

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .startsWith("## Targets")
                .contains("| 20.9 ± 3.80 ns | 120 ± 9.20 ns | 0.17× (0.13–0.22) |")
                .contains("at the start 0.15 / 0.30 / 0.40 on 2 CPUs");
        assertThat(Files.readString(directory.resolve("BENCHMARKS.md")))
                .contains(out.substring(0, out.indexOf("Wrote")));
    }

    private String write(JmhRun run, MachineLoad load) throws IOException {
        Path output = directory.resolve("BENCHMARKS.md");
        new ReportWriter(run, Versions.none(), Map.of("cores available to the JVM", "2"), "today", null, load)
                .write(output, directory.resolve("docs/benchmarks"));
        return Files.readString(output);
    }

    private String write(JmhRun run) throws IOException {
        Path output = directory.resolve("BENCHMARKS.md");
        new ReportWriter(run, Versions.none(), Map.of("cores available to the JVM", "2"), "today")
                .write(output, directory.resolve("docs/benchmarks"));
        return Files.readString(output);
    }

    private static JmhRun run(String... entries) {
        return JmhRun.parse(JsonParser.parseString("[" + String.join(",", entries) + "]"));
    }

    /** One result as JMH 1.37 writes it, with only the fields the report reads. */
    private static String entry(
            String benchmark, String variant, int threads, double nanos, double error, double bytes) {
        String param = benchmark.startsWith("AnnotationBenchmark") ? "variant" : "library";
        return String.format(
                Locale.ROOT,
                """
                {"jmhVersion": "1.37", "benchmark": "dev.retry.benchmarks.%s", "mode": "avgt", "threads": %d,
                 "forks": 2, "jvmArgs": ["-Xmx1g"], "jdkVersion": "17.0.15", "vmName": "OpenJDK 64-Bit Server VM",
                 "vmVersion": "17.0.15", "warmupIterations": 5, "warmupTime": "1 s", "measurementIterations": 5,
                 "measurementTime": "1 s", "params": {"%s": "%s"},
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "ns/op"},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreError": "NaN", "scoreUnit": "B/op"}}}
                """,
                benchmark,
                threads,
                param,
                variant,
                nanos,
                Double.isNaN(error) ? "\"NaN\"" : error,
                bytes);
    }
}
