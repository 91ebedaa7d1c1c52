package dev.retry.benchmarks.report;

import dev.retry.benchmarks.simulation.ThunderingHerd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The thundering herd's part of the "Simulations" section: one table per setting, the sweep over
 * crowd sizes, and how our numbers compare with the study they reproduce. What the text says about
 * the order of the jitter kinds is read off the numbers, never written in advance.
 */
final class ThunderingHerdSection {

    private ThunderingHerdSection() {}

    /** Appends the part to {@code md}, with a chart of each setting's calls per client in {@code chartDirectory}. */
    static void write(StringBuilder md, List<ThunderingHerd.Herd> herds, Path base, Path chartDirectory)
            throws IOException {
        md.append("### Thundering herd: why jitter matters\n\n");
        if (herds == null || herds.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        ThunderingHerd.Herd first = herds.get(0);
        md.append(
                        "After the AWS Architecture Blog's study \"Exponential Backoff And Jitter\" (2015). Every client has ")
                .append("one call to make and makes it within the first ")
                .append(first.blipMillis())
                .append(" ms, while the service blips, so every first attempt fails and the whole crowd retries ")
                .append("on the same schedule. Then the service works on a limited number of requests at once ")
                .append("(each takes 5 to 15 ms) and refuses any beyond that straight away, as a row under ")
                .append("optimistic concurrency fails the writes that race the one it accepts. Each client retries ")
                .append("through a `RetryPolicy` of its own until it succeeds. *Calls*: requests that reached the ")
                .append("service, the study's measure of work; *peak*: the busiest 10 ms after the blip, against ")
                .append("what the service can take in 10 ms; *until all succeeded*: from the blip until the last ")
                .append("client got through, the study's time to complete. Each figure is the mean of ")
                .append(first.runs())
                .append(" seeded runs (seed ")
                .append(first.seed())
                .append(").\n\n");
        for (ThunderingHerd.Herd herd : herds) {
            setting(md, herd, base, chartDirectory);
        }
        comparison(md, herds);
    }

    private static void setting(StringBuilder md, ThunderingHerd.Herd herd, Path base, Path chartDirectory)
            throws IOException {
        md.append("#### ")
                .append(capitalised(herd.setting()))
                .append(format(
                        ": %d clients, %s at once, %s\n\n",
                        herd.clients(),
                        herd.capacity() == 1 ? "one request" : herd.capacity() + " requests",
                        herd.backoff()));
        md.append("| jitter | the delay before retry n | calls | per client | peak | until all succeeded |\n")
                .append("|---|---|--:|--:|--:|--:|\n");
        for (ThunderingHerd.Result r : herd.results()) {
            md.append("| ")
                    .append(r.policy())
                    .append(" | ")
                    .append(r.configuration())
                    .append(" | ")
                    .append(format("%,.0f", r.calls()))
                    .append(" | ")
                    .append(format("%.2f", r.callsPerClient()))
                    .append(" | ")
                    .append(format("%.1f×", r.peakLoad()))
                    .append(" | ")
                    .append(format("%.2f s", r.secondsUntilAllSucceeded()))
                    .append(" |\n");
        }
        md.append('\n');
        String title = "Thundering herd, " + herd.setting() + ": calls per client";
        Path chart = Charts.drawBars(
                title,
                "requests per client (lower is better; the blip makes it at least 2)",
                herd.results().stream().map(ThunderingHerd.Result::policy).toList(),
                herd.results().stream()
                        .map(ThunderingHerd.Result::callsPerClient)
                        .toList(),
                chartDirectory.resolve("simulation-herd-" + slug(herd.setting()) + ".png"));
        String link = base.relativize(chart.toAbsolutePath()).toString().replace('\\', '/');
        md.append("![").append(title).append("](").append(link).append(")\n\n");
        long gaveUp =
                herd.sweep().stream().mapToLong(ThunderingHerd.Result::gaveUp).sum();
        if (gaveUp > 0) {
            md.append(format(
                    "> **%,d calls ran out of attempts**: their clients never got through, so the times "
                            + "above are not the times until every client succeeded.\n\n",
                    gaveUp));
        }
        List<Integer> sizes = herd.sweep().stream()
                .map(ThunderingHerd.Result::clients)
                .distinct()
                .toList();
        List<String> kinds =
                herd.results().stream().map(ThunderingHerd.Result::policy).toList();
        md.append("<details><summary>By the number of clients, as the study plots it</summary>\n\n");
        md.append("| clients |");
        kinds.forEach(kind -> md.append(" calls per client, ").append(kind).append(" |"));
        kinds.forEach(kind -> md.append(" until all succeeded, ").append(kind).append(" |"));
        md.append("\n|--:|").append("--:|".repeat(2 * kinds.size())).append('\n');
        for (int clients : sizes) {
            List<ThunderingHerd.Result> row =
                    herd.sweep().stream().filter(r -> r.clients() == clients).toList();
            md.append("| ").append(clients).append(" |");
            row.forEach(r -> md.append(format(" %.2f |", r.callsPerClient())));
            row.forEach(r -> md.append(format(" %.2f s |", r.secondsUntilAllSucceeded())));
            md.append('\n');
        }
        md.append("\n</details>\n\n");
    }

    /** Where our numbers follow the study and where they do not, each sentence read off the numbers. */
    private static void comparison(StringBuilder md, List<ThunderingHerd.Herd> herds) {
        md.append("**Against the study.** The study found that exponential backoff without jitter takes far more ")
                .append("calls and far more time than any jittered kind; that full and equal jitter do about the ")
                .append("same work, full slightly less, with equal taking much longer; and that decorrelated jitter ")
                .append("does more work than full, in slightly less time. Here:\n\n");
        for (ThunderingHerd.Herd herd : herds) {
            List<ThunderingHerd.Result> results = herd.results();
            ThunderingHerd.Result none = results.get(0);
            List<ThunderingHerd.Result> jittered = results.subList(1, results.size());
            double calls = none.calls()
                    / jittered.stream()
                            .mapToDouble(ThunderingHerd.Result::calls)
                            .max()
                            .orElse(1);
            double time = none.secondsUntilAllSucceeded()
                    / jittered.stream()
                            .mapToDouble(ThunderingHerd.Result::secondsUntilAllSucceeded)
                            .max()
                            .orElse(1);
            md.append("- ")
                    .append(capitalised(herd.setting()))
                    .append(format(
                            ": no jitter takes %.2f× the calls and %.1f× the time of the worst jittered kind. ",
                            calls, time))
                    .append("By calls, fewest first: ")
                    .append(order(jittered, ThunderingHerd.Result::calls, "%,.0f"))
                    .append(". By time until all succeeded: ")
                    .append(order(jittered, ThunderingHerd.Result::secondsUntilAllSucceeded, "%.2f s"))
                    .append(".\n");
        }
        md.append('\n');
        StringBuilder why = new StringBuilder();
        if (fewer(herds.get(0), ThunderingHerd.Variant.EQUAL, ThunderingHerd.Variant.FULL)) {
            why.append("- *Full against equal.* The two swap places on calls, by a few per cent, where the study ")
                    .append("found full jitter slightly ahead. Full jitter may draw a delay near zero and go straight ")
                    .append("back to a service that is still contended, while equal jitter waits at least half the ")
                    .append("delay: where the service is this scarce, that floor is the likely reason it saves a few ")
                    .append("calls, and it is what makes equal jitter the slowest of the jittered kinds.\n");
        }
        if (herds.size() > 1 && fewest(herds.get(1)) == ThunderingHerd.Variant.DECORRELATED) {
            why.append("- *The library's defaults.* With a first delay of 100 ms, long against the 10 ms a request ")
                    .append("takes, most of the work is decided in the first round of retries. Decorrelated jitter ")
                    .append("draws that first delay from 100 to 300 ms, twice the span of full jitter's 0 to 100 ms ")
                    .append("and four times as long on average, so it spreads the herd widest and takes the fewest ")
                    .append("calls and the lowest peak. ")
                    .append("Where many rounds are needed, as in the study's setting, its delays, which may fall back ")
                    .append("towards the base at every draw, cost it more calls instead.\n");
        }
        md.append("Why ours differs where it does:\n\n")
                .append("- *The model.* The study's clients read a row and then write it, four network hops of about ")
                .append("10 ms per attempt, and a write fails when another landed since the read; here an attempt ")
                .append("is one request that the service refuses when it is already working on as many as it can ")
                .append("(one in the study's setting, the single row). Its sample code ran 10 to 50 clients.\n")
                .append("- *The first delay.* The study's backoff before retry n is `base × 2^n`, so its first ")
                .append("retry waits twice the base; ours waits `d × 2^(n−1)`, the base itself. The study's setting ")
                .append("uses its base of 5 ms and cap of 2 s as our `delay` and `max-delay`, so each of our ")
                .append("exponential delays below the cap is half of its counterpart there. Decorrelated jitter is ")
                .append("the same formula in both.\n")
                .append(why);
        peak(md, herds);
        md.append('\n');
    }

    /** Where the peak comes from, with the spread of the study's peaks and how far no jitter's stands out. */
    private static void peak(StringBuilder md, List<ThunderingHerd.Herd> herds) {
        ThunderingHerd.Herd study = herds.get(0);
        double low = study.results().stream()
                .mapToDouble(ThunderingHerd.Result::peakLoad)
                .min()
                .orElse(0);
        double high = study.results().stream()
                .mapToDouble(ThunderingHerd.Result::peakLoad)
                .max()
                .orElse(0);
        md.append("- *The peak.* In ")
                .append(study.setting())
                .append(", whose first delays (at most 15 ms) are short against the blip, the whole crowd's first ")
                .append("retries land within a few tens of milliseconds whatever the jitter, and the peaks lie close ")
                .append(format("together (%.1f× to %.1f×)", low, high));
        if (herds.size() > 1) {
            ThunderingHerd.Herd other = herds.get(1);
            double none = other.results().get(0).peakLoad();
            double jittered = other.results().stream()
                    .skip(1)
                    .mapToDouble(ThunderingHerd.Result::peakLoad)
                    .max()
                    .orElse(none);
            md.append("; with ")
                    .append(other.setting())
                    .append(format(", no jitter's peak is %.1f× the highest of any jittered kind", none / jittered));
        }
        md.append(".\n");
    }

    /** Whether {@code a} took fewer calls than {@code b} in {@code herd}. */
    private static boolean fewer(ThunderingHerd.Herd herd, ThunderingHerd.Variant a, ThunderingHerd.Variant b) {
        return herd.results().get(a.ordinal()).calls()
                < herd.results().get(b.ordinal()).calls();
    }

    /** The jittered kind that took the fewest calls in {@code herd}. */
    private static ThunderingHerd.Variant fewest(ThunderingHerd.Herd herd) {
        ThunderingHerd.Variant best = ThunderingHerd.Variant.FULL;
        for (ThunderingHerd.Variant kind : ThunderingHerd.Variant.values()) {
            if (kind != ThunderingHerd.Variant.NONE && fewer(herd, kind, best)) {
                best = kind;
            }
        }
        return best;
    }

    private static String order(
            List<ThunderingHerd.Result> results, ToDoubleFunction<ThunderingHerd.Result> measure, String pattern) {
        return String.join(
                ", ",
                results.stream()
                        .sorted(Comparator.comparingDouble(measure))
                        .map(r -> r.policy() + " (" + format(pattern, measure.applyAsDouble(r)) + ")")
                        .toList());
    }

    /** A file name from a setting's label: "the study's setting" becomes "the-studys-setting". */
    static String slug(String label) {
        return label.toLowerCase(Locale.ROOT)
                .replace("'", "")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
