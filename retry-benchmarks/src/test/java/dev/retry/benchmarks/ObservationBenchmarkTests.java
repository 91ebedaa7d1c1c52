package dev.retry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every variant of {@link ObservationBenchmark} starts and answers, so a run never fails in set-up. */
class ObservationBenchmarkTests {

    @ParameterizedTest
    @ValueSource(strings = {"off", "noopRegistry", "recording"})
    void eachVariantStartsAndAnswers(String variant) {
        ObservationBenchmark benchmark = new ObservationBenchmark();
        benchmark.variant = variant;
        benchmark.setUp();
        try {
            assertThat(benchmark.call()).isEqualTo("order-42");
        } finally {
            benchmark.tearDown();
        }
    }
}
