package dev.retry.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.benchmarks.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulations as the report shows them, written through the report writer's command line. */
class SimulationReportTests {

    @TempDir
    Path directory;

    @Test
    void theReportHasASimulationsSectionWithItsTargetsTablesAndChart() throws Exception {
        Path jmh = directory.resolve("jmh.json");
        Files.writeString(jmh, """
                [{"jmhVersion": "1.37", "benchmark": "dev.retry.benchmarks.CoreRetryBenchmark.retry", "mode": "avgt",
                 "threads": 1, "forks": 2, "jvmArgs": [], "jdkVersion": "17", "vmName": "vm", "vmVersion": "17",
                 "warmupIterations": 5, "warmupTime": "1 s", "measurementIterations": 5, "measurementTime": "1 s",
                 "params": {"library": "retry"},
                 "primaryMetric": {"score": 10.0, "scoreError": 1.0, "scoreUnit": "ns/op"},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 0.0, "scoreError": "NaN", "scoreUnit": "B/op"}}}]
                """);
        RetryStorm.Result budget = new RetryStorm.Result("retry budget", "ratio 0.1", 42, 1.1, 1.9, 0.1, 100, 110, 30);
        RetryStorm.Result naive = new RetryStorm.Result("naive retry", "3 attempts", 42, 3.0, 3.0, 0.3, 100, 300, 30);
        SlowTail.Result tail = new SlowTail.Result("no hedging", "one request", 7, 10, 16, 200, 300, 0, 100, 100);
        SlowTail.Scenario narrow = new SlowTail.Scenario(
                0.25,
                7,
                List.of(tail),
                List.of(
                        new SlowTail.SweepPoint(14, 16, 23.9, 0.106),
                        new SlowTail.SweepPoint(16, 16, 25.9, 0.049),
                        new SlowTail.SweepPoint(20, 16, 29.8, 0.023)));
        SlowTail.Result wideTail = new SlowTail.Result("no hedging", "one request", 7, 10, 25.5, 201, 476, 0, 100, 100);
        SlowTail.Scenario wide = new SlowTail.Scenario(
                0.5, 7, List.of(wideTail), List.of(new SlowTail.SweepPoint(26, 25.5, 37.2, 0.048)));
        BreakerBursts.Result breaker =
                new BreakerBursts.Result("count window", "last 100", 11, 1000, 50, 100, 250, 700, 30.3);
        Simulations.Report report = new Simulations.Report(
                List.of(naive, budget),
                List.of(HerdFixtures.study(), HerdFixtures.defaults()),
                narrow,
                wide,
                List.of(breaker),
                List.of(
                        new Simulations.Target("Retry storm: budget", "at most 1.10×", "1.100×", true),
                        new Simulations.Target("Slow tail: p99", "at most 24 ms", "26 ms", false)));
        Path simulation = directory.resolve("simulation.json");
        Simulations.write(report, simulation);
        Path output = directory.resolve("BENCHMARKS.md");

        ReportWriter.main(new String[] {
            "--results",
            jmh.toString(),
            "--output",
            output.toString(),
            "--charts",
            directory.resolve("docs/benchmarks").toString(),
            "--simulations",
            simulation.toString()
        });

        String md = Files.readString(output);
        assertThat(md).contains("## Simulations");
        assertThat(md).contains("| Retry storm: budget | at most 1.10× | 1.100× | **met** |");
        assertThat(md).contains("| Slow tail: p99 | at most 24 ms | 26 ms | _not met_ |");
        assertThat(md).contains("| retry budget | ratio 0.1 | 1.10× | 1.90× | 0.1 s | 30 of 100 |");
        assertThat(md).contains("| no hedging | one request | 10.0 ms | 16.0 ms | 200.0 ms | 300.0 ms | 0.0 % |");
        assertThat(md).contains("- p99 asked for: at most 1.5 × the unhedged p95 = 24.0 ms, for at most 5.0 % extra.");
        assertThat(md)
                .contains("- Best p99 of a fixed delay within 5.0 % extra: 25.9 ms (delay 16.0 ms, 4.9 % extra), "
                        + "above the limit: the target is out of reach.");
        assertThat(md).contains("- The cheapest fixed delay with a p99 within the limit: 14.0 ms, for 10.6 % extra.");
        assertThat(md).contains("| 16.0 ms | 16.0 ms | 25.9 ms | 4.9 % |");
        assertThat(md).contains("### Slow tail, wider body");
        assertThat(md.substring(md.indexOf("### Slow tail, wider body")))
                .contains("| no hedging | one request | 10.0 ms | 25.5 ms | 201.0 ms | 476.0 ms | 0.0 % |")
                .contains("- Best p99 of a fixed delay within 5.0 % extra: 37.2 ms (delay 26.0 ms, 4.8 % extra), "
                        + "within the limit.");
        assertThat(md).contains("| count window | last 100 | 1,000 | 50 | 100 | 250 | 700 |");
        assertThat(md).contains("### Thundering herd: why jitter matters");
        assertThat(md).contains("#### The study's setting: 100 clients, one request at once, exponential from 5 ms");
        assertThat(md).contains("| no jitter | d × 2^(n−1) | 1,500 | 15.00 | 50.0× | 44.00 s |");
        assertThat(md).contains("| full jitter | [0, d × 2^(n−1)] | 850 | 8.50 | 60.0× | 3.40 s |");
        assertThat(md).contains("| 50 | 10.00 | 7.00 | 7.10 | 7.00 | 22.00 s | 2.30 s | 2.00 s | 1.20 s |");
        assertThat(md)
                .contains("- The study's setting: no jitter takes 1.55× the calls and 9.8× the time of the worst "
                        + "jittered kind. By calls, fewest first: equal jitter (820), full jitter (850), decorrelated jitter "
                        + "(970). By time until all succeeded: decorrelated jitter (3.00 s), full jitter (3.40 s), equal "
                        + "jitter (4.50 s).");
        assertThat(md)
                .as("equal jitter took fewer calls than full: the report says why")
                .contains("*Full against equal.*");
        assertThat(md)
                .as("decorrelated took the fewest with the defaults: the report says why")
                .contains("*The library's defaults.*");
        assertThat(md)
                .contains("- *The peak.* In the study's setting, whose first delays (at most 15 ms) are short "
                        + "against the blip, the whole crowd's first retries land within a few tens of milliseconds whatever "
                        + "the jitter, and the peaks lie close together (45.0× to 60.0×); with the library's defaults, no "
                        + "jitter's peak is 2.1× the highest of any jittered kind.");
        assertThat(md).doesNotContain("ran out of attempts");
        assertThat(md).contains("![Retry storm](docs/benchmarks/simulation-retry-storm.png)");
        assertThat(directory.resolve("docs/benchmarks/simulation-retry-storm.png"))
                .exists();
        assertThat(md)
                .contains("![Thundering herd, the study's setting: calls per client]"
                        + "(docs/benchmarks/simulation-herd-the-studys-setting.png)");
    }

    @Test
    void rewritesOnlyTheSimulationsOfAnExistingReport() throws Exception {
        Path output = directory.resolve("BENCHMARKS.md");
        Files.writeString(
                output,
                "# Benchmarks\n\n## Targets\n\n| a JMH table |\n\n## Simulations\n\nold numbers\n\n"
                        + "### Retry storm\n\nold storm\n\n## Where and how it was measured\n\n| CPU | x |\n");
        Simulations.Report report = new Simulations.Report(
                List.of(),
                List.of(HerdFixtures.study()),
                null,
                null,
                List.of(),
                List.of(new Simulations.Target("Thundering herd: calls", "at least 1.50×", "1.55×", true)));
        Path simulation = directory.resolve("simulation.json");
        Simulations.write(report, simulation);

        ReportWriter.main(new String[] {
            "--simulations-only",
            "--simulations",
            simulation.toString(),
            "--output",
            output.toString(),
            "--charts",
            directory.resolve("docs/benchmarks").toString()
        });

        String md = Files.readString(output);
        assertThat(md)
                .startsWith("# Benchmarks\n\n## Targets\n\n| a JMH table |\n\n## Simulations\n\n")
                .endsWith("## Where and how it was measured\n\n| CPU | x |\n")
                .contains("| Thundering herd: calls | at least 1.50× | 1.55× | **met** |")
                .contains("#### The study's setting: 100 clients")
                .doesNotContain("old numbers")
                .doesNotContain("old storm");
    }
}
