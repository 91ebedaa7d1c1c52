package dev.retry.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.benchmarks.simulation.HerdFixtures;
import dev.retry.benchmarks.simulation.ThunderingHerd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the herd's section says must follow from its numbers; the full report is in SimulationReportTests. */
class ThunderingHerdSectionTests {

    @TempDir
    Path directory;

    @Test
    void saysSoWhenAHerdsClientsGaveUpAndLeavesOutTheExplanationsItsNumbersDoNotNeed() throws Exception {
        ThunderingHerd.Herd study = HerdFixtures.study();
        List<ThunderingHerd.Result> sweep = new ArrayList<>(study.sweep());
        sweep.set(0, new ThunderingHerd.Result("no jitter", "d × 2^(n−1)", 19, 50, 10, 500, 28, 22, 3));
        // Full jitter the fewest calls in both settings: nothing to explain about its order.
        List<ThunderingHerd.Result> fullFirst = List.of(
                study.results().get(0),
                new ThunderingHerd.Result("full jitter", "[0, d × 2^(n−1)]", 19, 100, 10, 800, 60, 3.4, 0),
                study.results().get(2),
                study.results().get(3));
        ThunderingHerd.Herd gaveUp =
                new ThunderingHerd.Herd(study.setting(), study.backoff(), 19, 100, 1, 20, 10, fullFirst, sweep);
        ThunderingHerd.Herd defaults = HerdFixtures.defaults();
        List<ThunderingHerd.Result> defaultsFullFirst = List.of(
                defaults.results().get(0),
                new ThunderingHerd.Result("full jitter", "[0, d × 2^(n−1)]", 19, 1000, 10, 2000, 6.7, 1.5, 0),
                defaults.results().get(2),
                defaults.results().get(3));
        StringBuilder md = new StringBuilder();

        ThunderingHerdSection.write(
                md,
                List.of(
                        gaveUp,
                        new ThunderingHerd.Herd(
                                defaults.setting(),
                                defaults.backoff(),
                                19,
                                1000,
                                20,
                                20,
                                10,
                                defaultsFullFirst,
                                defaultsFullFirst)),
                directory,
                directory.resolve("charts"));

        assertThat(md.toString())
                .contains("> **3 calls ran out of attempts**")
                .doesNotContain("*Full against equal.*")
                .doesNotContain("*The library's defaults.*");
        assertThat(md.toString())
                .contains("(charts/simulation-herd-the-studys-setting.png)")
                .contains("(charts/simulation-herd-the-librarys-defaults.png)");
        assertThat(directory.resolve("charts/simulation-herd-the-studys-setting.png"))
                .exists();
    }
}
