package dev.retry.benchmarks.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine the report is written on, which {@code bench/run} makes the one the benchmarks ran
 * on: what a reader needs to judge the numbers. How busy it was is {@link MachineLoad}'s, read
 * before and after the run rather than when the report is written.
 */
final class Machine {

    private Machine() {}

    /** Each property's name and value, in the order the report shows them. */
    static Map<String, String> describe() {
        Map<String, String> facts = new LinkedHashMap<>();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        facts.put("CPU", cpuModel());
        facts.put(
                "cores available to the JVM",
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            facts.put("memory", String.format("%.1f GiB", sun.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        }
        facts.put(
                "operating system",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                        + System.getProperty("os.arch") + ")");
        return facts;
    }

    /** The CPU's model name where Linux tells it; otherwise what the JVM knows. */
    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException unreadable) {
                // Fall through to the architecture alone.
            }
        }
        return System.getProperty("os.arch");
    }
}
