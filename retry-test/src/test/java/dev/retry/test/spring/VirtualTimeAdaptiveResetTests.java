package dev.retry.test.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.retry.annotation.Retryable;
import dev.retry.spring.registry.RetryRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A test that drives an adaptive policy's attempt limit down to its floor leaves nothing of it to
 * the next test: the extension gives the policy back its full limit.
 */
@SpringBootTest(
        classes = VirtualTimeAdaptiveResetTests.App.class,
        properties = {
            "retry.policies.catalog.max-attempts=3", "retry.policies.catalog.delay=100ms",
            "retry.policies.catalog.jitter=none", "retry.policies.catalog.adaptive.enabled=true",
            "retry.policies.catalog.adaptive.min-attempts=1"
        })
@VirtualTime
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualTimeAdaptiveResetTests {

    @Autowired
    Catalog catalog;

    @Autowired
    RetryTestKit kit;

    @Autowired
    RetryRegistry registry;

    @Test
    @Order(1)
    void aDeadServiceDrivesTheLimitToItsFloor() {
        for (int call = 0; call < 1_000; call++) {
            catchThrowable(catalog::search);
            kit.advance(Duration.ofMillis(20));
        }
        assertThat(registry.retryPolicies().get("catalog").currentMaxAttempts())
                .as("after 20 virtual seconds of a dead service")
                .isEqualTo(1);
    }

    @Test
    @Order(2)
    void theNextTestStartsWithTheFullLimit() {
        assertThat(registry.retryPolicies().get("catalog").currentMaxAttempts()).isEqualTo(3);
        int before = catalog.attempts();
        catchThrowable(catalog::search);
        assertThat(catalog.attempts() - before)
                .as("a call gets all its attempts")
                .isEqualTo(3);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Catalog catalog() {
            return new Catalog();
        }
    }

    static class Catalog {
        private final AtomicInteger attempts = new AtomicInteger();

        /** Through a method: the test holds the proxy, whose own fields are not the target's. */
        public int attempts() {
            return attempts.get();
        }

        @Retryable("catalog")
        public String search() {
            attempts.incrementAndGet();
            throw new IllegalStateException("catalog is down");
        }
    }
}
