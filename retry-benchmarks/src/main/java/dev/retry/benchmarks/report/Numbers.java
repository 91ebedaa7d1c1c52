package dev.retry.benchmarks.report;

import java.util.Locale;

/** How the report writes its numbers: three significant figures or so, whatever the magnitude. */
final class Numbers {

    private Numbers() {}

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        double magnitude = Math.abs(value);
        return String.format(Locale.ROOT, magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f", value);
    }

    static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f×", value) : "—";
    }
}
