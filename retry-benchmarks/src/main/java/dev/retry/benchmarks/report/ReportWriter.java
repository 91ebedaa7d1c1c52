package dev.retry.benchmarks.report;

import static dev.retry.benchmarks.report.Numbers.number;
import static dev.retry.benchmarks.report.Numbers.ratio;

import dev.retry.benchmarks.simulation.Simulations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a JMH run into {@code BENCHMARKS.md}: the machine, the JDK and the versions, one table and one
 * chart per group, the targets each marked met or not met, and, group by group, where we are not
 * ahead. Every ratio is taken within the one run, never against numbers from another.
 *
 * <pre>{@code
 * java -cp retry-benchmarks/target/benchmarks.jar dev.retry.benchmarks.report.ReportWriter \
 *     --results target/jmh.json --versions retry-benchmarks/target/dependencies.txt \
 *     --output BENCHMARKS.md --charts docs/benchmarks --simulations target/simulation.json
 * }</pre>
 *
 * {@code bench/run} does this after the benchmarks; run by hand, it rewrites the report from a saved
 * result file.
 */
public final class ReportWriter {

    private final JmhRun run;
    private final Versions versions;
    private final Map<String, String> machine;
    private final String generated;
    private final Simulations.Report simulations;
    private final MachineLoad load;
    private final SynchronousHedgeSection hedgeOnJdk25;

    ReportWriter(JmhRun run, Versions versions, Map<String, String> machine, String generated) {
        this(run, versions, machine, generated, null, MachineLoad.none());
    }

    /**
     * With {@code simulations} (or {@code null} for none) as a section of its own, and the machine's
     * {@code load} beside the ratio table.
     */
    ReportWriter(
            JmhRun run,
            Versions versions,
            Map<String, String> machine,
            String generated,
            Simulations.Report simulations,
            MachineLoad load) {
        this(run, versions, machine, generated, simulations, load, null, MachineLoad.none());
    }

    /**
     * With, beside the main run, the synchronous hedge's run on JDK 25 ({@code null} for none) and the
     * machine's load around it.
     */
    ReportWriter(
            JmhRun run,
            Versions versions,
            Map<String, String> machine,
            String generated,
            Simulations.Report simulations,
            MachineLoad load,
            JmhRun jdk25,
            MachineLoad jdk25Load) {
        this.run = run;
        this.versions = versions;
        this.machine = machine;
        this.generated = generated;
        this.simulations = simulations;
        this.load = load;
        this.hedgeOnJdk25 = new SynchronousHedgeSection(run, jdk25, jdk25Load);
    }

    public static void main(String[] args) throws IOException {
        Path results = null;
        Path resultsJdk25 = null;
        Path dependencies = null;
        Path output = Path.of("BENCHMARKS.md");
        Path charts = Path.of("docs", "benchmarks");
        Path simulation = null;
        Path loadFile = null;
        boolean simulationsOnly = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--simulations-only")) {
                simulationsOnly = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw usage("no value after " + args[i]);
            }
            Path value = Path.of(args[i + 1]);
            switch (args[i]) {
                case "--results":
                    results = value;
                    break;
                case "--results-jdk25":
                    resultsJdk25 = value;
                    break;
                case "--versions":
                    dependencies = value;
                    break;
                case "--output":
                    output = value;
                    break;
                case "--charts":
                    charts = value;
                    break;
                case "--simulations":
                    simulation = value;
                    break;
                case "--load":
                    loadFile = value;
                    break;
                default:
                    throw usage("unknown option " + args[i]);
            }
        }
        if (simulationsOnly) {
            if (simulation == null || !Files.isReadable(simulation)) {
                throw usage("--simulations-only needs a readable --simulations file");
            }
            replaceSimulations(output, Simulations.read(simulation), charts);
            System.out.println("Rewrote the simulations of " + output + "; its benchmarks are as they were");
            return;
        }
        if (results == null) {
            throw usage("--results is required");
        }
        Versions versions =
                dependencies != null && Files.isReadable(dependencies) ? Versions.read(dependencies) : Versions.none();
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        // Optional: a report of the benchmarks alone is still worth writing without the simulations.
        Simulations.Report simulated =
                simulation != null && Files.isReadable(simulation) ? Simulations.read(simulation) : null;
        MachineLoad load =
                loadFile != null && Files.isReadable(loadFile) ? MachineLoad.read(loadFile) : MachineLoad.none();
        // Optional too: bench/run makes it only when it finds a JDK 25, and the report says how to make it.
        JmhRun jdk25 = null;
        MachineLoad jdk25Load = MachineLoad.none();
        if (resultsJdk25 != null && Files.isReadable(resultsJdk25)) {
            jdk25 = JmhRun.read(resultsJdk25);
            if (loadFile != null && Files.isReadable(loadFile)) {
                jdk25Load = MachineLoad.read(loadFile, "jdk25");
            }
        }
        ReportWriter writer = new ReportWriter(
                JmhRun.read(results), versions, Machine.describe(), now, simulated, load, jdk25, jdk25Load);
        writer.write(output, charts);
        System.out.print(writer.summary());
        System.out.println("Wrote " + output + " and its charts under " + charts);
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; usage: ReportWriter --results jmh.json"
                + " [--results-jdk25 jmh-jdk25.json] [--versions dependencies.txt] [--output BENCHMARKS.md] [--charts docs/benchmarks]"
                + " [--simulations target/simulation.json] [--load target/machine-load.txt]"
                + "; or ReportWriter --simulations-only --simulations target/simulation.json [--output BENCHMARKS.md]"
                + " [--charts docs/benchmarks]");
    }

    /**
     * Rewrites the "Simulations" section of an existing report, leaving the benchmarks' sections as they
     * are: the simulations run in virtual time, in seconds, and need no quiet machine, so they can be
     * brought up to date without a JMH run.
     */
    static void replaceSimulations(Path report, Simulations.Report simulations, Path chartDirectory)
            throws IOException {
        String md = Files.readString(report);
        int start = md.indexOf("\n## Simulations\n");
        if (start < 0) {
            throw new IllegalArgumentException(
                    report + " has no \"## Simulations\" section to rewrite; " + "run bench/run for a whole report");
        }
        start++;
        int end = md.indexOf("\n## ", start);
        end = end < 0 ? md.length() : end + 1;
        StringBuilder section = new StringBuilder();
        SimulationSection.write(section, simulations, report.toAbsolutePath().getParent(), chartDirectory);
        Files.writeString(report, md.substring(0, start) + section + md.substring(end));
    }

    /** Writes the report to {@code output} and its charts into {@code chartDirectory}. */
    void write(Path output, Path chartDirectory) throws IOException {
        Path base = output.toAbsolutePath().getParent();
        StringBuilder md = new StringBuilder();
        header(md);
        md.append(summary());
        for (Group group : Group.ALL) {
            List<Result> results = run.of(group.benchmark());
            if (!results.isEmpty()) {
                Path chart = Charts.draw(group, results, chartDirectory);
                String link = base.relativize(chart.toAbsolutePath()).toString().replace('\\', '/');
                section(md, group, results, link);
            }
            // Right after the same hedge on the main run's JDK, which it is read beside.
            if (group.benchmark().equals(SynchronousHedgeSection.PLATFORM_CALLER) && hedgeOnJdk25.shown()) {
                hedgeOnJdk25.write(md, base, chartDirectory);
            }
        }
        if (simulations != null) {
            SimulationSection.write(md, simulations, base, chartDirectory);
        }
        environment(md);
        Files.createDirectories(base);
        Files.writeString(output, md.toString());
    }

    private void header(StringBuilder md) {
        md.append("# Benchmarks\n\n");
        md.append("Written by `bench/run` on ")
                .append(generated)
                .append(
                        hedgeOnJdk25.measured()
                                ? " from one JMH run, and a second of the synchronous hedge alone on JDK 25"
                                : " from one JMH run")
                .append("; do not edit by hand, run the script again. Each benchmark's class ")
                .append("(in `retry-benchmarks/src/main/java/dev/retry/benchmarks/`) says in its javadoc what it ")
                .append("measures and how to run it alone. Every call succeeds at its first attempt: this is the ")
                .append("cost of being protected, paid by every call, not of recovering.\n\n");
        if (!run.trustworthy()) {
            md.append("> **Not a measurement.** This run used ")
                    .append(count(run.forks(), "fork"))
                    .append(" and ")
                    .append(count(run.measurementIterations(), "measurement iteration"))
                    .append(": a smoke test that ")
                    .append("proves the benchmarks run. Its numbers mean nothing.\n\n");
        }
    }

    /**
     * What the report opens with, and {@code bench/run} prints when it is done: the ratio table, each
     * result with its confidence interval, and beside it how busy the machine was.
     */
    String summary() {
        StringBuilder md = new StringBuilder();
        md.append("## Targets\n\n");
        md.append("Each target a ratio of two times from this run (ours ÷ theirs; below 1 is faster), each time with ")
                .append("JMH's score error, the half-width of its 99.9 % confidence interval. In brackets, the range ")
                .append("of the ratio within both intervals. The synchronous hedge's JDK 25 row is from that hedge's ")
                .append("own run on JDK 25, whose section says which JDK and how busy the machine was.\n\n");
        md.append("| target | limit | ours | theirs | ratio | verdict |\n|---|---|--:|--:|---|---|\n");
        for (Target target : Target.ALL) {
            targetRow(md, target.claim(), target.limitText(), target.judge(run));
        }
        for (SynchronousHedgeSection.Row row : hedgeOnJdk25.targets()) {
            targetRow(md, row.claim(), row.limit(), row.outcome());
        }
        md.append('\n');
        loadText(md);
        return md.toString();
    }

    private static void targetRow(StringBuilder md, String claim, String limit, Target.Outcome outcome) {
        md.append("| ")
                .append(claim)
                .append(" | ")
                .append(limit)
                .append(" | ")
                .append(outcome.ours())
                .append(" | ")
                .append(outcome.theirs())
                .append(" | ")
                .append(outcome.measured())
                .append(" | ")
                .append(verdictText(outcome.verdict()))
                .append(" |\n");
    }

    /** The machine's load at the start and the end of the run, and a warning when it was busy. */
    private void loadText(StringBuilder md) {
        md.append("**Machine load** (load average over 1 / 5 / 15 min): ");
        if (!load.recorded()) {
            md.append("not recorded; `bench/run` records it before it builds and when the benchmarks end.\n\n");
            return;
        }
        md.append(load.readings("at the start", "at the end"))
                .append(". The end's one-minute figure includes the benchmark's own thread, about 1.\n\n");
        if (load.busy()) {
            md.append("> **Busy machine.** Something else kept more than half of its CPUs busy")
                    .append(" (beyond the benchmark's own thread): the times in this report are slower than a quiet ")
                    .append("machine's, and the ratios less certain than their intervals say. Run it again on a ")
                    .append("quiet one.\n\n");
        }
    }

    private static String verdictText(String verdict) {
        return verdict.startsWith("met")
                ? "**" + verdict + "**"
                : verdict.startsWith("not met") ? "_" + verdict + "_" : verdict;
    }

    private void section(StringBuilder md, Group group, List<Result> results, String chartLink) {
        md.append("## ").append(group.title()).append("\n\n");
        md.append(group.description()).append("\n\n");
        md.append("![").append(group.title()).append("](").append(chartLink).append(")\n\n");
        md.append("| variant | ns per call | ± | bytes per call |");
        List<Result> references = new ArrayList<>();
        for (String reference : group.references()) {
            Optional<Result> found =
                    results.stream().filter(r -> r.variant().equals(reference)).findFirst();
            if (found.isPresent()) {
                references.add(found.get());
                md.append(" time ÷ ").append(group.label(reference, versions)).append(" |");
            }
        }
        md.append("\n|---|--:|--:|--:|")
                .append("--:|".repeat(references.size()))
                .append('\n');
        for (Result result : results) {
            String label = group.label(result.variant(), versions);
            boolean ours = group.ours().contains(result.variant());
            md.append("| ")
                    .append(ours ? "**" + label + "**" : label)
                    .append(" | ")
                    .append(number(result.nanos()))
                    .append(" | ")
                    .append(number(result.nanosError()))
                    .append(" | ")
                    .append(number(result.bytes()))
                    .append(" |");
            for (Result reference : references) {
                md.append(' ').append(ratio(result.nanos() / reference.nanos())).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        for (String finding : findings(group, results)) {
            md.append("- ").append(finding).append('\n');
        }
        md.append('\n');
    }

    /** Where we are ahead and where not, in words; every rival faster or leaner than us is named. */
    List<String> findings(Group group, List<Result> results) {
        List<String> findings = new ArrayList<>();
        for (Result mine : results) {
            if (!group.ours().contains(mine.variant())) {
                continue;
            }
            String me = group.label(mine.variant(), versions);
            List<String> faster = new ArrayList<>();
            List<String> leaner = new ArrayList<>();
            Result nearest = null;
            for (Result other : results) {
                if (!group.isRival(other.variant())) {
                    continue;
                }
                String them = group.label(other.variant(), versions);
                if (other.nanos() < mine.nanos()) {
                    // Slower is slower, but a reader should know when the error bars overlap.
                    boolean overlap = mine.nanosLow() <= other.nanosHigh();
                    faster.add(them + " (" + ratio(mine.nanos() / other.nanos()) + " its time"
                            + (overlap ? ", within the error" : "") + ")");
                }
                if (other.bytes() < mine.bytes() - Target.NO_ALLOCATION) {
                    leaner.add(them + " (" + number(other.bytes()) + " against " + number(mine.bytes()) + " bytes)");
                }
                if (nearest == null || other.nanos() < nearest.nanos()) {
                    nearest = other;
                }
            }
            if (!faster.isEmpty()) {
                findings.add("**Not ahead:** " + me + " is slower than " + String.join(", ", faster) + ".");
            } else if (nearest != null) {
                findings.add(me + " takes " + ratio(mine.nanos() / nearest.nanos()) + " the time of the fastest "
                        + "rival, " + group.label(nearest.variant(), versions) + ".");
            }
            if (!leaner.isEmpty()) {
                findings.add("**Not ahead:** " + me + " allocates more than " + String.join(", ", leaner) + ".");
            }
            for (String floor : group.floors()) {
                results.stream()
                        .filter(r -> r.variant().equals(floor))
                        .findFirst()
                        .ifPresent(f -> findings.add(overFloor(me, mine, f, group.label(floor, versions))));
            }
        }
        return findings;
    }

    /**
     * What we cost above a floor. A floor does less than we do, so a measurement below it is noise,
     * and is reported as such rather than as a negative cost.
     */
    private static String overFloor(String me, Result mine, Result floor, String floorLabel) {
        double over = mine.nanos() - floor.nanos();
        if (over >= 0) {
            return me + " costs " + number(over) + " ns per call over the " + floorLabel + ".";
        }
        return me + " measured " + number(-over) + " ns per call below the " + floorLabel
                + ", which does less than it: noise, read it as no more than the floor.";
    }

    private void environment(StringBuilder md) {
        md.append("## Where and how it was measured\n\n| | |\n|---|---|\n");
        machine.forEach((name, value) ->
                md.append("| ").append(name).append(" | ").append(value).append(" |\n"));
        md.append("| JDK | ").append(run.jdk()).append(", ").append(run.vm()).append(" |\n");
        md.append("| JVM options | ")
                .append(run.jvmArgs().isEmpty() ? "—" : "`" + String.join(" ", run.jvmArgs()) + "`")
                .append(" |\n");
        md.append("| JMH | ")
                .append(run.jmhVersion())
                .append(": ")
                .append(count(run.forks(), "fork"))
                .append(", warm-up ")
                .append(run.warmup())
                .append(", measurement ")
                .append(run.measurement())
                .append(", average time per call, `-prof gc` for bytes per call |\n\n");
        md.append("### Versions\n\n");
        if (!versions.known()) {
            md.append("Not recorded: run through `bench/run`, which lists them while it builds.\n\n");
        } else {
            md.append("| library | version |\n|---|---|\n");
            Versions.MEASURED.forEach((artifact, name) -> versions.of(artifact)
                    .ifPresent(version -> md.append("| ")
                            .append(name)
                            .append(" | ")
                            .append(version)
                            .append(" |\n")));
            md.append('\n');
        }
        md.append("### Configured alike\n\n")
                .append("- Retry: 3 attempts, the first included; exponential backoff from 100 ms, doubling, at most ")
                .append("10 s, randomised where the library offers it (never reached: every call succeeds).\n")
                .append("- Circuit breaker: a count window of the last 100 calls, opening at 50 % failures once ")
                .append("20 calls are in it, 30 s open, 5 trial calls half-open. Failsafe has no minimum: it opens ")
                .append("at 50 failures among the last 100 calls, the same threshold.\n")
                .append("- Core level: each library through its plain Java API; Resilience4j decorates a function ")
                .append("once, Failsafe and both Spring templates take a lambda per call, as their APIs ask.\n")
                .append("- Annotation level: Spring Framework without Spring Boot, one minimal context per variant, ")
                .append("class-based (CGLIB) proxies for all; no metrics for any library. Resilience4j is wired by ")
                .append("its own Spring 6 configuration classes, which also keep its event buffers, as its starter ")
                .append("does.\n");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
