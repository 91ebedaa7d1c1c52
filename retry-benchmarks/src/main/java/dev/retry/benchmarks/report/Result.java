package dev.retry.benchmarks.report;

/**
 * One benchmark of one variant, as JMH measured it.
 *
 * @param benchmark the benchmark method, {@code Class.method} without the package
 * @param variant the value of its one {@code @Param}: the library or the variant measured
 * @param threads how many threads called it at once
 * @param nanos average time per call, in ns; per thread when several threads called
 * @param nanosError the half-width of the 99.9 % confidence interval, NaN when JMH could not tell
 *     (a single iteration)
 * @param bytes bytes allocated per call ({@code gc.alloc.rate.norm}), NaN when run without {@code
 *     -prof gc}
 * @param bytesError as {@code nanosError}, for {@code bytes}
 */
public record Result(
        String benchmark,
        String variant,
        int threads,
        double nanos,
        double nanosError,
        double bytes,
        double bytesError) {

    /** The lowest and highest time per call within the confidence interval, or the score twice. */
    double nanosLow() {
        return Double.isFinite(nanosError) ? nanos - nanosError : nanos;
    }

    double nanosHigh() {
        return Double.isFinite(nanosError) ? nanos + nanosError : nanos;
    }
}
