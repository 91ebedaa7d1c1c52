package dev.retry.benchmarks.report;

import static dev.retry.benchmarks.report.Numbers.number;
import static dev.retry.benchmarks.report.Numbers.ratio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The synchronous hedge on JDK 25, from a second JMH run beside the main one: {@code bench/run}
 * makes it when it finds a JDK 25 or newer, since the main run's JDK 17 has no virtual threads and
 * so never shows what a virtual caller pays. A hedge called from a virtual thread runs its attempts
 * on virtual threads and hands the caller's carrier to the attempt when the caller parks: no
 * platform thread is woken, which is most of what a platform caller's hop to a pool thread costs.
 *
 * <p>Its numbers are never divided by the main run's: each run's results are compared within it
 * (the executor hop from the same caller on the same JDK). The main run's platform-thread figure is
 * shown beside them, as measured, for what users on JDK 17 get.
 */
final class SynchronousHedgeSection {

    static final String TITLE = "Core: a synchronous hedge on JDK 25";
    static final String PLATFORM_CALLER = "CoreHedgeBenchmark.hedge";
    static final String VIRTUAL_CALLER = "CoreHedgeBenchmark.hedgeFromVirtualThread";
    /** The target for a virtual caller on JDK 25, in ns. */
    static final double VIRTUAL_LIMIT_NANOS = 3_000;
    /** The oldest JDK whose hedge runs a virtual caller's attempts on virtual threads as measured here. */
    static final int FEATURE_RELEASE = 25;
    /** The JDK the platform-thread figure is documented for: the baseline, which the main run uses. */
    static final int BASELINE_RELEASE = 17;

    /** The command that makes the JDK 25 results by hand, as {@code bench/run} does. */
    static final String BY_HAND = "$JDK25/bin/java -jar retry-benchmarks/target/benchmarks.jar "
            + "'CoreHedgeBenchmark\\.(hedge|hedgeFromVirtualThread)$' -prof gc -rf json -rff target/jmh-jdk25.json";

    private final JmhRun main;
    private final Optional<JmhRun> jdk25;
    private final MachineLoad jdk25Load;

    /**
     * @param main the report's main run, whose platform-thread figure is shown beside the JDK 25 run
     * @param jdk25 the JDK 25 run, or {@code null} when there is none
     * @param jdk25Load the machine's load around the JDK 25 run
     */
    SynchronousHedgeSection(JmhRun main, JmhRun jdk25, MachineLoad jdk25Load) {
        this.main = main;
        this.jdk25 = Optional.ofNullable(jdk25);
        this.jdk25Load = jdk25Load;
    }

    /**
     * Whether the report has this section: a JDK 25 run was given, or the main run measured the
     * synchronous hedge (a report of other benchmarks alone would only be told how to run this one).
     */
    boolean shown() {
        return jdk25.isPresent() || !main.of(PLATFORM_CALLER).isEmpty();
    }

    /** Whether a run on JDK 25 or newer was given, beside the main run. */
    boolean measured() {
        return usableJdk25().isPresent();
    }

    /** One row of the report's target table. */
    record Row(String claim, String limit, Target.Outcome outcome) {}

    /** The two rows this section adds to the target table, the virtual caller's first. */
    List<Row> targets() {
        return List.of(virtualCallerTarget(), platformCallerFigure());
    }

    private Row virtualCallerTarget() {
        String claim = "Core synchronous hedge from a virtual thread, JDK 25: at most 3 µs";
        String limit = "≤ " + micros(VIRTUAL_LIMIT_NANOS);
        Optional<JmhRun> run = usableJdk25();
        if (run.isEmpty()) {
            String verdict = jdk25.map(r -> "not measured (its run is on JDK " + r.jdk() + ")")
                    .orElse("not measured");
            return new Row(claim, limit, new Target.Outcome("—", "—", "—", verdict));
        }
        Optional<Result> ours = run.get().find(VIRTUAL_CALLER, "retry");
        if (ours.isEmpty()) {
            return new Row(claim, limit, new Target.Outcome("—", "—", "—", "not measured"));
        }
        Result a = ours.get();
        String hop = run.get()
                .find(VIRTUAL_CALLER, "executorHop")
                .map(floor -> withError(floor) + " executor hop")
                .orElse("—");
        return new Row(
                claim,
                limit,
                new Target.Outcome(withError(a), hop, micros(a.nanos()), Target.atMostVerdict(a, VIRTUAL_LIMIT_NANOS)));
    }

    /** Informational: the issue asks for the figure to be measured and documented, with no limit. */
    private Row platformCallerFigure() {
        String claim = "Core synchronous hedge from a platform thread, JDK 17: a measured figure";
        Optional<Result> ours = main.find(PLATFORM_CALLER, "retry");
        if (ours.isEmpty()) {
            return new Row(claim, "—", new Target.Outcome("—", "—", "—", "not measured"));
        }
        Optional<Result> hop = main.find(PLATFORM_CALLER, "executorHop");
        String measured = "measured: " + micros(ours.get().nanos())
                + hop.map(floor -> ", floor " + micros(floor.nanos())).orElse("");
        String verdict = featureRelease(main.jdk()) == BASELINE_RELEASE
                ? "informational"
                : "informational (measured on JDK " + main.jdk() + ", not 17)";
        return new Row(
                claim,
                "—",
                new Target.Outcome(
                        withError(ours.get()),
                        hop.map(floor -> withError(floor) + " executor hop").orElse("—"),
                        measured,
                        verdict));
    }

    /** Writes the section: its table and chart from the JDK 25 run, or how to make that run. */
    void write(StringBuilder md, Path base, Path chartDirectory) throws IOException {
        md.append("## ").append(TITLE).append("\n\n");
        Optional<JmhRun> run = usableJdk25();
        if (run.isEmpty()) {
            missing(md);
            return;
        }
        JmhRun r = run.get();
        md.append(
                        "The same hedge (one hedge after 100 ms, never reached), measured again in a JMH run of its own on JDK ")
                .append(r.jdk())
                .append(" (")
                .append(r.vm())
                .append("; ")
                .append(r.forks())
                .append(r.forks() == 1 ? " fork" : " forks")
                .append(", warm-up ")
                .append(r.warmup())
                .append(", measurement ")
                .append(r.measurement())
                .append("): called from a platform thread (`hedge`) and from a virtual thread "
                        + "(`hedgeFromVirtualThread`, JMH's `-Djmh.executor=VIRTUAL`), as a Spring Boot application "
                        + "with `spring.threads.virtual.enabled` serves its requests. A virtual caller's attempts run "
                        + "on virtual threads, and the caller parking hands its carrier to the attempt: no platform "
                        + "thread is woken. `executorHop`, handing the call to a cached pool of platform threads and "
                        + "waiting for it, is the floor of a platform caller; a virtual caller's hedge need not pay "
                        + "it, so there it is a reference rather than a floor. Each time is divided by the executor "
                        + "hop from the same caller, in this run.\n\n");
        if (!r.trustworthy()) {
            md.append("> **Not a measurement.** This run used a smoke test's settings: its numbers mean nothing.\n\n");
        }
        List<Result> results = relabelled(r);
        Group chartGroup = new Group(
                "core-hedge-jdk25",
                TITLE,
                PLATFORM_CALLER,
                "",
                Set.of(label("retry", false), label("retry", true)),
                Set.of(
                        label("direct", false),
                        label("direct", true),
                        label("executorHop", false),
                        label("executorHop", true)),
                List.of());
        Path chart = Charts.draw(chartGroup, results, chartDirectory);
        String link = base.relativize(chart.toAbsolutePath()).toString().replace('\\', '/');
        md.append("![").append(TITLE).append("](").append(link).append(")\n\n");
        table(md, r);
        findings(md, r);
        load(md);
    }

    private void missing(StringBuilder md) {
        jdk25.ifPresent(r -> md.append("The results given for it were measured on JDK ")
                .append(r.jdk())
                .append(", which has no virtual threads' hedge to show; they are left out.\n\n"));
        md.append("Not measured in this report: it needs a JMH run on JDK 25 or newer, which `bench/run` makes "
                        + "after the main run when it finds one (`BENCH_JDK25_HOME`, or a Temurin JDK 25 under "
                        + "`/usr/lib/jvm`). By hand, after `bench/run` has built the jar:\n\n```bash\n")
                .append(BY_HAND)
                .append("\n```\n\nand then `ReportWriter` with `--results-jdk25 target/jmh-jdk25.json`.\n\n");
        mainRunFigure(md);
    }

    private void table(StringBuilder md, JmhRun r) {
        md.append("| caller | variant | ns per call | ± | bytes per call | time ÷ executor hop, same caller |\n")
                .append("|---|---|--:|--:|--:|--:|\n");
        for (boolean virtual : new boolean[] {false, true}) {
            String benchmark = virtual ? VIRTUAL_CALLER : PLATFORM_CALLER;
            Optional<Result> hop = r.find(benchmark, "executorHop");
            for (Result result : r.of(benchmark)) {
                String variant = variantLabel(result.variant());
                md.append("| ")
                        .append(virtual ? "virtual thread" : "platform thread")
                        .append(" | ")
                        .append(result.variant().equals("retry") ? "**" + variant + "**" : variant)
                        .append(" | ")
                        .append(number(result.nanos()))
                        .append(" | ")
                        .append(number(result.nanosError()))
                        .append(" | ")
                        .append(number(result.bytes()))
                        .append(" | ")
                        .append(hop.map(h -> ratio(result.nanos() / h.nanos())).orElse("—"))
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    private void findings(StringBuilder md, JmhRun r) {
        for (boolean virtual : new boolean[] {true, false}) {
            String benchmark = virtual ? VIRTUAL_CALLER : PLATFORM_CALLER;
            Optional<Result> ours = r.find(benchmark, "retry");
            if (ours.isEmpty()) {
                continue;
            }
            md.append("- From a ")
                    .append(virtual ? "virtual" : "platform")
                    .append(" thread on JDK ")
                    .append(r.jdk())
                    .append(", retry (ours) takes ")
                    .append(micros(ours.get().nanos()))
                    .append(" per call");
            r.find(benchmark, "executorHop")
                    .ifPresent(hop -> md.append(", ")
                            .append(ratio(ours.get().nanos() / hop.nanos()))
                            .append(" the executor hop from the same caller (")
                            .append(micros(hop.nanos()))
                            .append(")"));
            if (virtual) {
                md.append(ours.get().nanos() <= VIRTUAL_LIMIT_NANOS ? "; within" : "; over")
                        .append(" the target of ")
                        .append(micros(VIRTUAL_LIMIT_NANOS));
            }
            md.append(".\n");
        }
        md.append('\n');
        mainRunFigure(md);
    }

    /** The main run's platform-thread figure, for the users of its JDK (17 when run by {@code bench/run}). */
    private void mainRunFigure(StringBuilder md) {
        Optional<Result> ours = main.find(PLATFORM_CALLER, "retry");
        if (ours.isEmpty()) {
            return;
        }
        md.append("On JDK ")
                .append(main.jdk())
                .append(" (this report's main run), from a platform thread: ")
                .append(micros(ours.get().nanos()));
        main.find(PLATFORM_CALLER, "executorHop")
                .ifPresent(hop -> md.append(", against an executor hop of ").append(micros(hop.nanos())));
        md.append(" (\"Core: a hedge whose delay is never reached\" above).\n\n");
    }

    private void load(StringBuilder md) {
        md.append("**Machine load** during this run (load average over 1 / 5 / 15 min): ");
        if (!jdk25Load.recorded()) {
            md.append("not recorded.\n\n");
            return;
        }
        md.append(jdk25Load.readings("at its start", "at its end")).append(".\n\n");
        if (jdk25Load.busy()) {
            md.append("> **Busy machine.** Something else kept more than half of its CPUs busy during this run: "
                    + "its times are slower than a quiet machine's.\n\n");
        }
    }

    /** The run on JDK 25 or newer, if one was given; a run on an older JDK cannot show what this section is for. */
    private Optional<JmhRun> usableJdk25() {
        return jdk25.filter(r -> featureRelease(r.jdk()) >= FEATURE_RELEASE);
    }

    /** Both callers' results as one chart's bars, each named with its caller. */
    private static List<Result> relabelled(JmhRun r) {
        List<Result> bars = new ArrayList<>();
        for (boolean virtual : new boolean[] {false, true}) {
            for (Result result : r.of(virtual ? VIRTUAL_CALLER : PLATFORM_CALLER)) {
                bars.add(new Result(
                        result.benchmark(),
                        label(result.variant(), virtual),
                        result.threads(),
                        result.nanos(),
                        result.nanosError(),
                        result.bytes(),
                        result.bytesError()));
            }
        }
        return bars;
    }

    private static String label(String variant, boolean virtual) {
        return variantLabel(variant) + (virtual ? ", virtual caller" : ", platform caller");
    }

    private static String variantLabel(String variant) {
        return switch (variant) {
            case "direct" -> "direct call";
            case "executorHop" -> "executor hop";
            case "retry" -> "retry (ours)";
            default -> variant;
        };
    }

    /** The JDK's feature release ("25" of "25.0.1", "17" of "17.0.15"), or 0 when it cannot be read. */
    static int featureRelease(String jdk) {
        int end = 0;
        while (end < jdk.length() && Character.isDigit(jdk.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(jdk.substring(0, end));
    }

    private static String withError(Result result) {
        return Target.withError(result.nanos(), result.nanosError(), "ns");
    }

    private static String micros(double nanos) {
        return String.format(Locale.ROOT, "%s µs", number(nanos / 1_000));
    }
}
