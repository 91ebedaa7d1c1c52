package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@SpringBootTest(properties = {
        "retry.policies.default.delay=0ms",                 // retries at once: the test never waits
        "retry.circuit-breakers.payments.minimum-calls=5"})
class PriceClientTests {

    @Configuration
    @EnableAutoConfiguration
    @Import({PriceClient.class, PaymentClient.class})
    static class Beans {
        @Bean
        SimpleMeterRegistry meters() {                        // the starter's meters, in memory
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    PriceClient prices;

    @Autowired
    PaymentClient payments;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RetryRegistry registry;

    @AfterEach
    void closeTheBreaker() {                                  // breakers are shared: leave them as found
        registry.circuitBreakers().get("payments").reset();
    }

    @Test
    void aRefusedConnectionIsRetriedThenAnsweredByTheFallback() throws IOException {
        assertThat(prices.price("A-1")).isEqualTo("connect:A-1");

        assertThat(meters.get("retry.calls").tag("name", "default").tag("outcome", "failure_after_retry")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void anOpenBreakerRefusesTheCall() {
        registry.circuitBreakers().get("payments").transitionTo(CircuitState.OPEN);

        assertThatThrownBy(() -> payments.charge("order-1")).isInstanceOf(CircuitOpenException.class);
    }
}
