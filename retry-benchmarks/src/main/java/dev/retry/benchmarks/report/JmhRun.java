package dev.retry.benchmarks.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JMH run read back from its JSON result file ({@code -rf json}): every result, and the settings
 * and JVM that the first of them ran with (a run made by {@code bench/run} uses one set for all).
 *
 * @param jdk the JDK version that ran the benchmarks
 * @param vm the VM's name and version
 * @param jvmArgs the options the forked JVMs were given
 * @param jmhVersion JMH's version
 * @param forks forks per benchmark; 0 means every benchmark ran inside JMH's own JVM
 * @param warmup warm-up iterations and their time, as JMH writes them ("5 x 1 s")
 * @param measurement measurement iterations and their time
 * @param measurementIterations the number of measurement iterations
 */
public record JmhRun(
        List<Result> results,
        String jdk,
        String vm,
        List<String> jvmArgs,
        String jmhVersion,
        int forks,
        String warmup,
        String measurement,
        int measurementIterations) {

    private static final String PACKAGE = "dev.retry.benchmarks.";
    /** The key of the gc profiler's bytes per operation; older JMH versions prefix it with "·". */
    private static final String BYTES_PER_CALL = "gc.alloc.rate.norm";

    public JmhRun {
        results = List.copyOf(results);
        jvmArgs = List.copyOf(jvmArgs);
    }

    public static JmhRun read(Path json) throws IOException {
        try (Reader reader = Files.newBufferedReader(json)) {
            return parse(JsonParser.parseReader(reader));
        }
    }

    static JmhRun parse(JsonElement document) {
        JsonArray entries = document.getAsJsonArray();
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the JMH result file holds no results");
        }
        List<Result> results = new ArrayList<>();
        for (JsonElement element : entries) {
            results.add(result(element.getAsJsonObject()));
        }
        JsonObject first = entries.get(0).getAsJsonObject();
        List<String> jvmArgs = new ArrayList<>();
        if (first.has("jvmArgs")) {
            first.getAsJsonArray("jvmArgs").forEach(arg -> jvmArgs.add(arg.getAsString()));
        }
        int measurementIterations = first.get("measurementIterations").getAsInt();
        return new JmhRun(
                results,
                text(first, "jdkVersion"),
                text(first, "vmName") + " " + text(first, "vmVersion"),
                jvmArgs,
                text(first, "jmhVersion"),
                first.get("forks").getAsInt(),
                first.get("warmupIterations").getAsInt() + " × " + text(first, "warmupTime"),
                measurementIterations + " × " + text(first, "measurementTime"),
                measurementIterations);
    }

    private static Result result(JsonObject entry) {
        String benchmark = entry.get("benchmark").getAsString();
        if (benchmark.startsWith(PACKAGE)) {
            benchmark = benchmark.substring(PACKAGE.length());
        }
        String variant = "";
        JsonObject params = entry.getAsJsonObject("params");
        if (params != null && !params.isEmpty()) {
            variant = params.entrySet().iterator().next().getValue().getAsString();
        }
        JsonObject primary = entry.getAsJsonObject("primaryMetric");
        String unit = primary.get("scoreUnit").getAsString();
        if (!unit.equals("ns/op")) {
            throw new IllegalArgumentException(benchmark + " was measured in " + unit
                    + "; the report reads average times in ns/op, as bench/run asks for");
        }
        Optional<JsonObject> bytes = secondary(entry, BYTES_PER_CALL);
        return new Result(
                benchmark,
                variant,
                entry.get("threads").getAsInt(),
                number(primary, "score"),
                number(primary, "scoreError"),
                bytes.map(metric -> number(metric, "score")).orElse(Double.NaN),
                bytes.map(metric -> number(metric, "scoreError")).orElse(Double.NaN));
    }

    private static Optional<JsonObject> secondary(JsonObject entry, String suffix) {
        JsonObject metrics = entry.getAsJsonObject("secondaryMetrics");
        if (metrics == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonElement> metric : metrics.entrySet()) {
            if (metric.getKey().endsWith(suffix)) {
                return Optional.of(metric.getValue().getAsJsonObject());
            }
        }
        return Optional.empty();
    }

    /** JMH writes a number it could not compute as the string "NaN". */
    private static double number(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value == null || value.isJsonNull() ? Double.NaN : value.getAsDouble();
    }

    private static String text(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value == null || value.isJsonNull() ? "?" : value.getAsString();
    }

    /** The result of {@code variant} in {@code benchmark}, if the run measured it. */
    public Optional<Result> find(String benchmark, String variant) {
        return results.stream()
                .filter(r -> r.benchmark().equals(benchmark) && r.variant().equals(variant))
                .findFirst();
    }

    /** Every result of {@code benchmark}, in the order JMH ran them (the order of the {@code @Param} values). */
    public List<Result> of(String benchmark) {
        return results.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    /**
     * Whether the numbers can mean anything: measured in forked JVMs (a non-forked run shares one JVM
     * and one profile between every variant) over more than one iteration.
     */
    public boolean trustworthy() {
        return forks > 0 && measurementIterations > 1;
    }
}
