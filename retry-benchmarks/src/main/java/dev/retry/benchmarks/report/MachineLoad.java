package dev.retry.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How busy the machine was when {@code bench/run} started and when its benchmarks ended, read from
 * the file the script writes: one line per moment, {@code <moment> <ISO time> <load 1 min> <load 5
 * min> <load 15 min> <CPUs>}, the load averages as {@code /proc/loadavg} gives them.
 *
 * <p>The start is read before anything is built, so it is the load of whatever else the machine
 * was doing. The end is read as the last benchmark finishes, so its one-minute average includes the
 * benchmark's own thread: about one CPU's worth.
 *
 * @param start the machine before the run, if recorded
 * @param end the machine as the benchmarks ended, if recorded
 */
record MachineLoad(Optional<Sample> start, Optional<Sample> end) {

    /** The share of the CPUs others may keep busy before the numbers are called into doubt. */
    static final double BUSY_SHARE = 0.5;
    /** What the benchmark itself adds to the one-minute load average while it runs: its own thread. */
    static final double OWN_LOAD = 1.0;

    /**
     * One reading.
     *
     * @param time when, as the script wrote it
     * @param cpus the CPUs online
     */
    record Sample(String time, double load1, double load5, double load15, int cpus) {

        String text() {
            return String.format(Locale.ROOT, "%.2f / %.2f / %.2f on %d CPUs (%s)", load1, load5, load15, cpus, time);
        }
    }

    static MachineLoad none() {
        return new MachineLoad(Optional.empty(), Optional.empty());
    }

    static MachineLoad read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    /** The readings taken around a later part of the run, named {@code <part>-start} and {@code <part>-end}. */
    static MachineLoad read(Path file, String part) throws IOException {
        return parse(Files.readAllLines(file), part + "-start", part + "-end");
    }

    /** Lines that are not a well-formed reading are left out: a reading missing is reported as such. */
    static MachineLoad parse(List<String> lines) {
        return parse(lines, "start", "end");
    }

    /** The readings named {@code startMoment} and {@code endMoment}; the file holds others beside them. */
    static MachineLoad parse(List<String> lines, String startMoment, String endMoment) {
        Optional<Sample> start = Optional.empty();
        Optional<Sample> end = Optional.empty();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 6) {
                continue;
            }
            Optional<Sample> sample = sample(fields);
            if (fields[0].equals(startMoment)) {
                start = sample;
            } else if (fields[0].equals(endMoment)) {
                end = sample;
            }
        }
        return new MachineLoad(start, end);
    }

    private static Optional<Sample> sample(String[] fields) {
        try {
            return Optional.of(new Sample(
                    fields[1],
                    Double.parseDouble(fields[2]),
                    Double.parseDouble(fields[3]),
                    Double.parseDouble(fields[4]),
                    Integer.parseInt(fields[5])));
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Whether something else kept the machine busy: more than {@link #BUSY_SHARE} of its CPUs before
     * the run, or, beyond the benchmark's own thread, as it ended.
     */
    boolean busy() {
        boolean before = start.map(s -> s.load1() > BUSY_SHARE * s.cpus()).orElse(false);
        boolean during =
                end.map(s -> s.load1() - OWN_LOAD > BUSY_SHARE * s.cpus()).orElse(false);
        return before || during;
    }

    /**
     * Both readings as a report says them, e.g. {@code "at the start 0.12 / 0.84 / 1.51 on 2 CPUs
     * (...), at the end ..."}, each introduced by its own words; a reading missing is said to be.
     */
    String readings(String startWords, String endWords) {
        return startWords + " " + start.map(Sample::text).orElse("not recorded") + ", " + endWords + " "
                + end.map(Sample::text).orElse("not recorded");
    }

    boolean recorded() {
        return start.isPresent() || end.isPresent();
    }
}
