package dev.retry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;

/**
 * Every variant of {@link SpringBootApplicationBenchmark} starts as the application it claims to be
 * (its set-up checks the registry, the proxy and whose meters exist) and answers, so a run never
 * fails in set-up.
 */
class SpringBootApplicationBenchmarkTests {

    /** The variants as the benchmark's own {@code @Param} lists them, so that a new one is tested too. */
    static Stream<String> variants() throws NoSuchFieldException {
        return Stream.of(SpringBootApplicationBenchmark.class
                .getDeclaredField("variant")
                .getAnnotation(Param.class)
                .value());
    }

    @ParameterizedTest
    @MethodSource("variants")
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
