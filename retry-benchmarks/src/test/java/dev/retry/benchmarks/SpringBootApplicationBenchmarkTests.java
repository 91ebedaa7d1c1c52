package dev.retry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every variant of {@link SpringBootApplicationBenchmark} starts as the application it claims to be
 * (its set-up checks the registry, the proxy and whose meters exist) and answers, so a run never
 * fails in set-up.
 */
class SpringBootApplicationBenchmarkTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "metersOff",
                "metersOn",
                "metersOnWithoutAttemptsSummary",
                "springRetryable",
                "resilience4jMetersOn"
            })
    void eachVariantStartsAndAnswers(String variant) {
        SpringBootApplicationBenchmark benchmark = new SpringBootApplicationBenchmark();
        benchmark.variant = variant;
        benchmark.setUp();
        try {
            assertThat(benchmark.call()).isEqualTo("order-42");
        } finally {
            benchmark.tearDown();
        }
    }
}
