package dev.retry.benchmarks.simulation;

import java.util.ArrayList;
import java.util.List;

/** Herds with made-up figures that are easy to check, for the tests of the report that shows them. */
public final class HerdFixtures {

    private HerdFixtures() {}

    /** A herd in the study's setting, figures made up to be easy to check. */
    public static ThunderingHerd.Herd study() {
        List<ThunderingHerd.Result> results = List.of(
                new ThunderingHerd.Result("no jitter", "d × 2^(n−1)", 19, 100, 10, 1500, 50, 44, 0),
                new ThunderingHerd.Result("full jitter", "[0, d × 2^(n−1)]", 19, 100, 10, 850, 60, 3.4, 0),
                new ThunderingHerd.Result("equal jitter", "[half, all]", 19, 100, 10, 820, 55, 4.5, 0),
                new ThunderingHerd.Result("decorrelated jitter", "[d, 3 × previous]", 19, 100, 10, 970, 45, 3.0, 0));
        List<ThunderingHerd.Result> sweep = new ArrayList<>(List.of(
                new ThunderingHerd.Result("no jitter", "d × 2^(n−1)", 19, 50, 10, 500, 28, 22, 0),
                new ThunderingHerd.Result("full jitter", "[0, d × 2^(n−1)]", 19, 50, 10, 350, 34, 2.3, 0),
                new ThunderingHerd.Result("equal jitter", "[half, all]", 19, 50, 10, 355, 31, 2.0, 0),
                new ThunderingHerd.Result("decorrelated jitter", "[d, 3 × previous]", 19, 50, 10, 350, 25, 1.2, 0)));
        sweep.addAll(results);
        return new ThunderingHerd.Herd(
                "the study's setting",
                "exponential from 5 ms, doubling, at most 2 s",
                19,
                100,
                1,
                20,
                10,
                results,
                sweep);
    }

    /** A herd with the library's defaults, figures made up. */
    public static ThunderingHerd.Herd defaults() {
        List<ThunderingHerd.Result> results = List.of(
                new ThunderingHerd.Result("no jitter", "d × 2^(n−1)", 19, 1000, 10, 8500, 22, 104, 0),
                new ThunderingHerd.Result("full jitter", "[0, d × 2^(n−1)]", 19, 1000, 10, 3400, 6.7, 1.5, 0),
                new ThunderingHerd.Result("equal jitter", "[half, all]", 19, 1000, 10, 3600, 10.4, 1.4, 0),
                new ThunderingHerd.Result("decorrelated jitter", "[d, 3 × previous]", 19, 1000, 10, 2600, 3.4, 1.2, 0));
        return new ThunderingHerd.Herd(
                "the library's defaults",
                "exponential from 100 ms, doubling, at most 10 s",
                19,
                1000,
                20,
                20,
                10,
                results,
                results);
    }
}
