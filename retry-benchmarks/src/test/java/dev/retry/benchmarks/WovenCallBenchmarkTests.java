package dev.retry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.spring.registry.RetryRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every variant of {@link WovenCallBenchmark} starts and answers, so a run never fails in set-up (whose
 * own check proves the woven variants retry, hence are woven); and the woven calls, the one through
 * {@code this} included, pass the breaker of the context in {@code retry.mode: aspectj}, not one of the
 * aspect's own defaults.
 */
class WovenCallBenchmarkTests {

    @ParameterizedTest
    @ValueSource(strings = {"direct", "proxy", "woven", "wovenThroughThis"})
    void eachVariantStartsAndAnswers(String variant) {
        WovenCallBenchmark benchmark = new WovenCallBenchmark();
        benchmark.variant = variant;
        benchmark.setUp();
        try {
            assertThat(benchmark.call()).isEqualTo("order-42");
        } finally {
            benchmark.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"woven", "wovenThroughThis"})
    void wovenCallsPassTheBreakerOfTheAspectJModeContext(String variant) {
        WovenCallBenchmark benchmark = new WovenCallBenchmark();
        benchmark.variant = variant;
        benchmark.setUp();
        try {
            RetryRegistry registry = benchmark.context.getBean(RetryRegistry.class);
            int before = bufferedCalls(registry);

            for (int i = 0; i < 5; i++) {
                benchmark.call();
            }

            assertThat(bufferedCalls(registry))
                    .as("calls the context's breakers recorded")
                    .isEqualTo(before + 5);
        } finally {
            benchmark.tearDown();
        }
    }

    private static int bufferedCalls(RetryRegistry registry) {
        return registry.circuitBreakers().values().stream()
                .mapToInt(breaker -> breaker.snapshot().bufferedCalls())
                .sum();
    }
}
