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

/**
 * The synchronous hedge's JDK 25 section and its two target rows, from small hand-made JMH results:
 * the main run on JDK 17, the hedge's own run on JDK 25.
 */
class SynchronousHedgeSectionTests {

    private static final String PLATFORM = "CoreHedgeBenchmark.hedge";
    private static final String VIRTUAL = "CoreHedgeBenchmark.hedgeFromVirtualThread";

    @TempDir
    Path directory;

    /** The main run: a platform caller on JDK 17 pays a hop to a pool thread. */
    private final JmhRun jdk17 = run(
            entry(PLATFORM, "direct", "17.0.15", 0.5, 0.1, 0.0),
            entry(PLATFORM, "executorHop", "17.0.15", 25_900.0, 2_000.0, 136.0),
            entry(PLATFORM, "retry", "17.0.15", 24_200.0, 8_600.0, 420.0));

    @Test
    void showsBothCallersOnJdk25BesideTheMainRunsFigureAndMeetsTheTarget() throws IOException {
        JmhRun jdk25 = run(
                entry(PLATFORM, "direct", "25.0.1", 0.5, 0.1, 0.0),
                entry(PLATFORM, "executorHop", "25.0.1", 20_000.0, 1_000.0, 136.0),
                entry(PLATFORM, "retry", "25.0.1", 19_000.0, 1_500.0, 400.0),
                entry(VIRTUAL, "direct", "25.0.1", 0.5, 0.1, 0.0),
                entry(VIRTUAL, "executorHop", "25.0.1", 16_000.0, 900.0, 136.0),
                entry(VIRTUAL, "retry", "25.0.1", 2_100.0, 150.0, 380.0));

        String report = write(jdk17, jdk25, MachineLoad.none());

        assertThat(report)
                .contains("from one JMH run, and a second of the synchronous hedge alone on JDK 25; do not edit")
                .contains("## Core: a synchronous hedge on JDK 25\n\nThe same hedge (one hedge after 100 ms, never "
                        + "reached), measured again in a JMH run of its own on JDK 25.0.1 (OpenJDK 64-Bit Server VM "
                        + "25.0.1+8-LTS; 2 forks")
                .contains("| virtual thread | **retry (ours)** | 2,100 | 150 | 380 | 0.13× |")
                .contains("| platform thread | executor hop | 20,000 | 1,000 | 136 | 1.00× |")
                .contains("- From a virtual thread on JDK 25.0.1, retry (ours) takes 2.10 µs per call, 0.13× the "
                        + "executor hop from the same caller (16.0 µs); within the target of 3.00 µs.")
                .contains("On JDK 17.0.15 (this report's main run), from a platform thread: 24.2 µs, against an "
                        + "executor hop of 25.9 µs");
        assertThat(report.indexOf("## Core: a synchronous hedge on JDK 25"))
                .as("right after the same hedge on the main run's JDK")
                .isGreaterThan(report.indexOf("## Core: a hedge whose delay is never reached"));
        assertThat(report)
                .contains("| Core synchronous hedge from a virtual thread, JDK 25: at most 3 µs | ≤ 3.00 µs "
                        + "| 2,100 ± 150 ns | 16,000 ± 900 ns executor hop | 2.10 µs | **met** |")
                .contains("| Core synchronous hedge from a platform thread, JDK 17: a measured figure | — "
                        + "| 24,200 ± 8,600 ns | 25,900 ± 2,000 ns executor hop | measured: 24.2 µs, floor 25.9 µs "
                        + "| informational |");
        assertThat(report).contains("![Core: a synchronous hedge on JDK 25](docs/benchmarks/core-hedge-jdk25.png)");
        try (InputStream in = Files.newInputStream(directory.resolve("docs/benchmarks/core-hedge-jdk25.png"))) {
            assertThat(in.readNBytes(4)).containsExactly(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void aVirtualCallerOverThreeMicrosecondsDoesNotMeetTheTarget() throws IOException {
        JmhRun slow = run(
                entry(VIRTUAL, "executorHop", "25.0.1", 16_000.0, 900.0, 136.0),
                entry(VIRTUAL, "retry", "25.0.1", 3_500.0, 100.0, 380.0));
        JmhRun borderline = run(entry(VIRTUAL, "retry", "25.0.1", 2_900.0, 200.0, 380.0));

        assertThat(write(jdk17, slow, MachineLoad.none()))
                .contains("| 3,500 ± 100 ns | 16,000 ± 900 ns executor hop | 3.50 µs | _not met_ |")
                .contains("takes 3.50 µs per call, 0.22× the executor hop from the same caller (16.0 µs); over the "
                        + "target of 3.00 µs.");
        assertThat(write(jdk17, borderline, MachineLoad.none()))
                .as("2.9 ± 0.2 µs could be above 3 µs")
                .contains("| 2,900 ± 200 ns | — | 2.90 µs | **met, within the error** |");
    }

    @Test
    void withoutAJdk25RunSaysHowToMakeOneAndMeasuresNoTarget() throws IOException {
        String report = write(jdk17, null, MachineLoad.none());

        assertThat(report)
                .contains("## Core: a synchronous hedge on JDK 25\n\nNot measured in this report: it needs a JMH run "
                        + "on JDK 25 or newer, which `bench/run` makes")
                .contains(SynchronousHedgeSection.BY_HAND)
                .contains("`--results-jdk25 target/jmh-jdk25.json`")
                .contains("On JDK 17.0.15 (this report's main run), from a platform thread: 24.2 µs")
                .contains("| Core synchronous hedge from a virtual thread, JDK 25: at most 3 µs | ≤ 3.00 µs "
                        + "| — | — | — | not measured |")
                .contains("| measured: 24.2 µs, floor 25.9 µs | informational |")
                .doesNotContain("core-hedge-jdk25.png")
                .contains("from one JMH run; do not edit");
    }

    @Test
    void leavesOutAReportOfOtherBenchmarksAloneButKeepsItsTargetRows() throws IOException {
        JmhRun breakerOnly = run(entry("CoreBreakerBenchmark.breaker", "retry", "17.0.15", 9.6, 0.5, 0.0));

        String report = write(breakerOnly, null, MachineLoad.none());

        assertThat(report).doesNotContain("## Core: a synchronous hedge on JDK 25");
        assertThat(report)
                .contains("| Core synchronous hedge from a virtual thread, JDK 25: at most 3 µs | ≤ 3.00 µs "
                        + "| — | — | — | not measured |")
                .contains("| Core synchronous hedge from a platform thread, JDK 17: a measured figure | — "
                        + "| — | — | — | not measured |");
    }

    @Test
    void refusesAJdk25RunMadeOnAnOlderJdkAndSaysWhenTheMainRunIsNotOn17() throws IOException {
        JmhRun onJdk21 = run(entry(VIRTUAL, "retry", "21.0.5", 2_000.0, 100.0, 380.0));
        JmhRun mainOn21 = run(
                entry(PLATFORM, "executorHop", "21.0.5", 25_900.0, 2_000.0, 136.0),
                entry(PLATFORM, "retry", "21.0.5", 24_200.0, 8_600.0, 420.0));

        String report = write(mainOn21, onJdk21, MachineLoad.none());

        assertThat(report)
                .contains("The results given for it were measured on JDK 21.0.5, which has no virtual threads' "
                        + "hedge to show; they are left out.")
                .contains("| — | — | — | not measured (its run is on JDK 21.0.5) |")
                .contains("| informational (measured on JDK 21.0.5, not 17) |");
    }

    @Test
    void showsTheMachinesLoadAroundTheJdk25RunAndWarnsWhenItWasBusy() throws IOException {
        JmhRun jdk25 = run(entry(VIRTUAL, "retry", "25.0.1", 2_100.0, 150.0, 380.0));
        List<String> lines = List.of(
                "start 2026-12-04T18:00:00Z 0.10 0.10 0.10 2",
                "end 2026-12-04T18:15:00Z 1.10 1.00 0.90 2",
                "jdk25-start 2026-12-04T18:15:01Z 1.10 1.00 0.90 2",
                "jdk25-end 2026-12-04T18:18:00Z 3.50 2.00 1.00 2");

        String report = write(jdk17, jdk25, MachineLoad.parse(lines, "jdk25-start", "jdk25-end"));

        assertThat(report)
                .contains("**Machine load** during this run (load average over 1 / 5 / 15 min): at its start "
                        + "1.10 / 1.00 / 0.90 on 2 CPUs (2026-12-04T18:15:01Z), at its end 3.50 / 2.00 / 1.00 on "
                        + "2 CPUs (2026-12-04T18:18:00Z).")
                .contains("> **Busy machine.** Something else kept more than half of its CPUs busy during this run");
    }

    @Test
    void readsTheJdk25RunAndItsLoadFromTheCommandLineAndBearsItsAbsence() throws IOException {
        Path results = directory.resolve("jmh.json");
        Files.writeString(results, "[" + entry(PLATFORM, "retry", "17.0.15", 24_200.0, 8_600.0, 420.0) + "]");
        Path jdk25 = directory.resolve("jmh-jdk25.json");
        Files.writeString(jdk25, "[" + entry(VIRTUAL, "retry", "25.0.1", 2_100.0, 150.0, 380.0) + "]");
        Path load = directory.resolve("machine-load.txt");
        Files.writeString(
                load,
                "start 2026-12-04T18:00:00Z 0.10 0.10 0.10 2\nend 2026-12-04T18:15:00Z 1.10 1.00 0.90 2\n"
                        + "jdk25-start 2026-12-04T18:15:01Z 1.05 1.00 0.90 2\n"
                        + "jdk25-end 2026-12-04T18:18:00Z 1.20 1.00 0.90 2\n");

        String out = reportWriter(results, jdk25, load);
        assertThat(out).contains("| 2,100 ± 150 ns | — | 2.10 µs | **met** |");
        assertThat(Files.readString(directory.resolve("BENCHMARKS.md")))
                .contains("at its start 1.05 / 1.00 / 0.90 on 2 CPUs (2026-12-04T18:15:01Z)")
                .contains("at the start 0.10 / 0.10 / 0.10 on 2 CPUs");

        assertThat(reportWriter(results, directory.resolve("no-such-file.json"), load))
                .as("bench/run found no JDK 25")
                .contains("| Core synchronous hedge from a virtual thread, JDK 25: at most 3 µs | ≤ 3.00 µs "
                        + "| — | — | — | not measured |");
    }

    @Test
    void readsTheFeatureReleaseOfAJdkVersion() {
        assertThat(SynchronousHedgeSection.featureRelease("25.0.1")).isEqualTo(25);
        assertThat(SynchronousHedgeSection.featureRelease("17.0.15")).isEqualTo(17);
        assertThat(SynchronousHedgeSection.featureRelease("26-ea")).isEqualTo(26);
        assertThat(SynchronousHedgeSection.featureRelease("?")).isZero();
    }

    private String reportWriter(Path results, Path jdk25, Path load) throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ReportWriter.main(new String[] {
                "--results", results.toString(),
                "--results-jdk25", jdk25.toString(),
                "--load", load.toString(),
                "--output", directory.resolve("BENCHMARKS.md").toString(),
                "--charts", directory.resolve("docs/benchmarks").toString()
            });
        } finally {
            System.setOut(console);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private String write(JmhRun main, JmhRun jdk25, MachineLoad jdk25Load) throws IOException {
        Path output = directory.resolve("BENCHMARKS.md");
        new ReportWriter(
                        main,
                        Versions.none(),
                        Map.of("cores available to the JVM", "2"),
                        "today",
                        null,
                        MachineLoad.none(),
                        jdk25,
                        jdk25Load)
                .write(output, directory.resolve("docs/benchmarks"));
        return Files.readString(output);
    }

    private static JmhRun run(String... entries) {
        return JmhRun.parse(JsonParser.parseString("[" + String.join(",", entries) + "]"));
    }

    /** One result as JMH 1.37 writes it, with only the fields the report reads, on the JDK given. */
    private static String entry(
            String benchmark, String variant, String jdk, double nanos, double error, double bytes) {
        String vmVersion = jdk.startsWith("25") ? jdk + "+8-LTS" : jdk;
        return String.format(Locale.ROOT, """
                {"jmhVersion": "1.37", "benchmark": "dev.retry.benchmarks.%s", "mode": "avgt", "threads": 1,
                 "forks": 2, "jvmArgs": ["-Xmx1g"], "jdkVersion": "%s", "vmName": "OpenJDK 64-Bit Server VM",
                 "vmVersion": "%s", "warmupIterations": 5, "warmupTime": "1 s", "measurementIterations": 5,
                 "measurementTime": "1 s", "params": {"library": "%s"},
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "ns/op"},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreError": "NaN", "scoreUnit": "B/op"}}}
                """, benchmark, jdk, vmVersion, variant, nanos, error, bytes);
    }
}
