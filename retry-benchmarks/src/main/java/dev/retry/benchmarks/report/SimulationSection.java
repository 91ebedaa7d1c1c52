package dev.retry.benchmarks.report;

import dev.retry.benchmarks.simulation.BreakerBursts;
import dev.retry.benchmarks.simulation.RetryStorm;
import dev.retry.benchmarks.simulation.Simulations;
import dev.retry.benchmarks.simulation.SlowTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "Simulations" section of the report: the targets, one table per scenario and a chart of the
 * load each retry policy puts on the failing service. The numbers come from virtual time with fixed
 * seeds, so unlike the JMH tables they do not depend on the machine.
 */
final class SimulationSection {

    private SimulationSection() {}

    /** Appends the section to {@code md}, its chart written into {@code chartDirectory}. */
    static void write(StringBuilder md, Simulations.Report report, Path base, Path chartDirectory) throws IOException {
        md.append("## Simulations\n\n");
        md.append("Written from `target/simulation.json`, which `dev.retry.benchmarks.simulation.Simulations` ")
                .append("writes. Each scenario drives the real core policies (`RetryPolicy.callAsync`, ")
                .append("`HedgePolicy.callAsync`, `CircuitBreakerPolicy.callAsync`) on a discrete-event virtual ")
                .append("clock, with fixed seeds: the same numbers on any machine, in seconds.\n\n");
        md.append("| target | limit | measured | verdict |\n|---|---|---|---|\n");
        for (Simulations.Target target : report.targets()) {
            md.append("| ")
                    .append(target.claim())
                    .append(" | ")
                    .append(target.limit())
                    .append(" | ")
                    .append(target.measured())
                    .append(" | ")
                    .append(target.met() ? "**met**" : "_not met_")
                    .append(" |\n");
        }
        md.append('\n');
        retryStorm(md, report.retryStorm(), base, chartDirectory);
        ThunderingHerdSection.write(md, report.thunderingHerd(), base, chartDirectory);
        slowTail(md, report.slowTail());
        wideSlowTail(md, report.wideSlowTail());
        breaker(md, report.breaker());
    }

    private static void retryStorm(StringBuilder md, List<RetryStorm.Result> results, Path base, Path chartDirectory)
            throws IOException {
        md.append("### Retry storm\n\n");
        md.append("1000 clients, each with a policy of its own, call a service once a second (seed ")
                .append(results.isEmpty() ? "—" : results.get(0).seed())
                .append("). After 10 s it fails every request for 30 s, then answers again up to 1.5 times ")
                .append("the clients' rate, shedding the excess. *Load* is the requests reaching it during the ")
                .append("outage over the calls the clients started in it (no retry = 1.00×); *peak* is its ")
                .append("busiest second of the outage; *recovery* is the time from the end of the outage until ")
                .append("fewer than 1 % of calls fail (by 100 ms).\n\n");
        List<String> labels = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        md.append("| policy | configuration | load during outage | peak | recovery | failed calls |\n")
                .append("|---|---|--:|--:|--:|--:|\n");
        for (RetryStorm.Result r : results) {
            md.append("| ")
                    .append(r.policy())
                    .append(" | ")
                    .append(r.configuration())
                    .append(" | ")
                    .append(format("%.2f×", r.outageLoad()))
                    .append(" | ")
                    .append(format("%.2f×", r.peakLoad()))
                    .append(" | ")
                    .append(format("%.1f s", r.recoverySeconds()))
                    .append(" | ")
                    .append(format("%,d of %,d", r.failedCalls(), r.calls()))
                    .append(" |\n");
            labels.add(r.policy());
            loads.add(r.outageLoad());
        }
        md.append('\n');
        if (!results.isEmpty()) {
            Path chart = Charts.drawBars(
                    "Retry storm: load on the failing service",
                    "requests ÷ calls (lower is better)",
                    labels,
                    loads,
                    chartDirectory.resolve("simulation-retry-storm.png"));
            String link = base.relativize(chart.toAbsolutePath()).toString().replace('\\', '/');
            md.append("![Retry storm](").append(link).append(")\n\n");
        }
    }

    private static void slowTail(StringBuilder md, SlowTail.Scenario scenario) {
        md.append("### Slow tail, narrow body\n\n");
        if (scenario == null) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("500 calls a second for 40 s (seed ")
                .append(scenario.seed())
                .append("); each request, hedges included, takes a log-normal latency around a 10 ms median ")
                .append(format(
                        "(sigma %.2f), and 2 %% of them twenty times as long. *Extra* is requests beyond one ",
                        scenario.sigma()))
                .append("per call.\n\n");
        resultsTable(md, scenario.results());
        md.append("**What this latency model allows.** To hedge at most ")
                .append(Simulations.percent(Simulations.SLOW_TAIL_MAX_EXTRA_LOAD))
                .append(" of calls the delay must be at least the p95 of one request; a call whose primary is ")
                .append("slow then answers through its hedge at the delay plus a request's latency, so its p99 ")
                .append("is at least p95 + median, whatever sets the delay (the derivation is in `SlowTail`'s ")
                .append("javadoc). The sweep below checks it: one hedge after each fixed delay")
                .append(
                        scenario.sweep().isEmpty()
                                ? ""
                                : format(
                                        " from %.1f to %.1f ms",
                                        scenario.sweep().get(0).delay(),
                                        scenario.sweep()
                                                .get(scenario.sweep().size() - 1)
                                                .delay()))
                .append(", on the same seed.\n\n");
        allowance(md, scenario);
        sweepTable(md, scenario);
    }

    private static void wideSlowTail(StringBuilder md, SlowTail.Scenario scenario) {
        if (scenario == null) {
            return;
        }
        md.append("### Slow tail, wider body\n\n");
        md.append(format(
                        "The same calls with a wider body (sigma %.2f, the same 2 %% twenty times as long), ",
                        scenario.sigma()))
                .append("where the p95 lies further from the median, as it does for many real services. The issue ")
                .append("names the tail but not the body, and its p99 target is within reach only where ")
                .append("p95 + median is at most 1.5 times the p95, that is where the p95 is at least twice the ")
                .append("median: so both bodies are judged.\n\n");
        resultsTable(md, scenario.results());
        allowance(md, scenario);
        sweepTable(md, scenario);
    }

    private static void resultsTable(StringBuilder md, List<SlowTail.Result> results) {
        md.append("| hedging | configuration | p50 | p95 | p99 | p99.9 | extra |\n|---|---|--:|--:|--:|--:|--:|\n");
        for (SlowTail.Result r : results) {
            md.append("| ")
                    .append(r.policy())
                    .append(" | ")
                    .append(r.configuration())
                    .append(" | ")
                    .append(format("%.1f ms", r.p50()))
                    .append(" | ")
                    .append(format("%.1f ms", r.p95()))
                    .append(" | ")
                    .append(format("%.1f ms", r.p99()))
                    .append(" | ")
                    .append(format("%.1f ms", r.p999()))
                    .append(" | ")
                    .append(format("%.1f %%", r.extraLoad() * 100))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** The p99 asked for, the best a fixed delay reaches within the extra allowed, and what the ask costs. */
    private static void allowance(StringBuilder md, SlowTail.Scenario scenario) {
        double limit = Simulations.slowTailP99Limit(scenario);
        double maxExtra = Simulations.SLOW_TAIL_MAX_EXTRA_LOAD;
        md.append(format(
                "- p99 asked for: at most %.1f × the unhedged p95 = %.1f ms, for at most %s extra.\n",
                Simulations.SLOW_TAIL_P99_OVER_P95, limit, Simulations.percent(maxExtra)));
        md.append(scenario.bestP99Within(maxExtra)
                .map(best -> format(
                        "- Best p99 of a fixed delay within %s extra: %.1f ms (delay %.1f ms, %s extra), " + "%s.\n",
                        Simulations.percent(maxExtra),
                        best.p99(),
                        best.delay(),
                        Simulations.percent(best.extraLoad()),
                        best.p99() <= limit ? "within the limit" : "above the limit: the target is out of reach"))
                .orElse(format("- No swept delay stays within %s extra.\n", Simulations.percent(maxExtra))));
        md.append(scenario.cheapestReaching(limit)
                .map(cheapest -> format(
                        "- The cheapest fixed delay with a p99 within the limit: %.1f ms, for %s extra.\n",
                        cheapest.delay(), Simulations.percent(cheapest.extraLoad())))
                .orElse("- No swept delay brings the p99 within the limit.\n"));
        md.append('\n');
    }

    private static void sweepTable(StringBuilder md, SlowTail.Scenario scenario) {
        md.append("<details><summary>The sweep of fixed delays</summary>\n\n");
        md.append("| delay | p95 | p99 | extra |\n|--:|--:|--:|--:|\n");
        for (SlowTail.SweepPoint point : scenario.sweep()) {
            md.append(format(
                    "| %.1f ms | %.1f ms | %.1f ms | %.1f %% |\n",
                    point.delay(), point.p95(), point.p99(), point.extraLoad() * 100));
        }
        md.append("\n</details>\n\n");
    }

    private static void breaker(StringBuilder md, List<BreakerBursts.Result> results) {
        md.append("### Breaker bursts\n\n");
        md.append("100 calls a second for 2 minutes (seed ")
                .append(results.isEmpty() ? "—" : results.get(0).seed())
                .append("); the service is healthy for 5 to 15 s, then dead for 2 to 6 s")
                .append(
                        results.isEmpty()
                                ? ""
                                : format(" (%.1f s dead in all)", results.get(0).deadSeconds()))
                .append(". *Wasted*: requests that reached it while dead; *lost*: calls refused while it was ")
                .append("healthy, each a success lost; *spared*: calls refused while it was dead.\n\n");
        md.append("| breaker | configuration | calls | wasted | lost | spared | succeeded |\n")
                .append("|---|---|--:|--:|--:|--:|--:|\n");
        for (BreakerBursts.Result r : results) {
            md.append("| ")
                    .append(r.policy())
                    .append(" | ")
                    .append(r.configuration())
                    .append(" | ")
                    .append(format("%,d", r.calls()))
                    .append(" | ")
                    .append(format("%,d", r.wastedRequests()))
                    .append(" | ")
                    .append(format("%,d", r.lostSuccesses()))
                    .append(" | ")
                    .append(format("%,d", r.sparedRequests()))
                    .append(" | ")
                    .append(format("%,d", r.succeeded()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
