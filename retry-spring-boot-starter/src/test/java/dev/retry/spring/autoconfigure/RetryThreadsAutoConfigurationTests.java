package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitBreakerPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Closing the application context leaves no thread of the core's behind. */
class RetryThreadsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class, RetryThreadsAutoConfiguration.class))
            .withPropertyValues("retry.policies.default.delay=1ms", "retry.policies.default.jitter=none")
            .withUserConfiguration(Services.class);

    @Test
    void afterTheContextClosesNoRetryThreadIsAlive() throws Exception {
        ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
        runner.run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(inventory.stockLater().get(30, TimeUnit.SECONDS))
                    .as("after one retry")
                    .isEqualTo("in stock");
            assertThat(inventory.reserve()).isEqualTo("reserved");
            // A breaker on the system clock with nobody timing its calls runs the coarse clock.
            assertThat(CircuitBreakerPolicy.builder().build().call(() -> "timed"))
                    .isEqualTo("timed");
            assertThat(retryThreads())
                    .as("threads while the application runs")
                    .contains("retry-scheduler", "retry-clock");
            closed[0] = context.getSourceApplicationContext();
        });
        assertThat(closed[0].isActive()).isFalse();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(retryThreads()).isEmpty());
    }

    private static List<String> retryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("retry-"))
                .toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class Services {

        @Bean
        Inventory inventory() {
            return new Inventory();
        }
    }

    static class Inventory {

        private final AtomicInteger attempts = new AtomicInteger();

        @Retryable
        public CompletableFuture<String> stockLater() {
            return attempts.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IllegalStateException("not yet"))
                    : CompletableFuture.completedFuture("in stock");
        }

        @CircuitBreaker
        public String reserve() {
            return "reserved";
        }
    }
}
