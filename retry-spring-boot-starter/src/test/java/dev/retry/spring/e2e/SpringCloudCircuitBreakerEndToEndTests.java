package dev.retry.spring.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import dev.retry.spring.e2e.ScriptedHttpServer.Step;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.circuitbreaker.httpservice.HttpServiceFallback;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * An HTTP service client, configured the way Spring Boot and Spring Cloud users configure one
 * ({@code @ImportHttpServices}, {@code spring.http.serviceclient.inventory.base-url}, a
 * {@code @HttpServiceFallback}), against a real HTTP server that fails: Spring Cloud wraps the
 * client's group in the breaker the factory creates for the group's name, which is
 * {@code retry.circuit-breakers.inventory}, so our breaker opens and the client's fallback answers.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "retry.circuit-breakers.inventory.window-size=4",
            "retry.circuit-breakers.inventory.minimum-calls=4",
            "retry.circuit-breakers.inventory.open-duration=1h"
        })
class SpringCloudCircuitBreakerEndToEndTests {

    private static final ScriptedHttpServer server = startServer();

    private static ScriptedHttpServer startServer() {
        try {
            return new ScriptedHttpServer();
        } catch (IOException failed) {
            throw new IllegalStateException("could not start the test's HTTP server", failed);
        }
    }

    @DynamicPropertySource
    static void inventoryUrl(DynamicPropertyRegistry properties) {
        properties.add("spring.http.serviceclient.inventory.base-url", server::baseUrl);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Autowired
    InventoryClient inventory;

    @Autowired
    RetryRegistry registry;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void closedBreaker() {
        registry.circuitBreakers().get("inventory").reset();
    }

    @Test
    void failingCallsOfAnHttpServiceClientOpenOurBreakerAndItsFallbackAnswers() {
        server.script("/stock/A-1", Step.status(503));
        for (int call = 0; call < 4; call++) {
            assertThat(inventory.stock("A-1")).isEqualTo("fallback for A-1 after ServiceUnavailable");
        }
        CircuitBreakerPolicy breaker = registry.circuitBreakers().get("inventory");
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(server.requests("/stock/A-1")).hasSize(4);

        assertThat(inventory.stock("A-1")).isEqualTo("fallback for A-1 after CircuitOpenException");
        assertThat(server.requests("/stock/A-1"))
                .as("the open breaker sends nothing")
                .hasSize(4);
        assertThat(meters.get("circuitbreaker.rejected")
                        .tag("name", "inventory")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void notFoundAnswersReachTheFallbackButDoNotOpenTheBreaker() {
        server.script("/stock/B-2", Step.status(404));
        for (int call = 0; call < 8; call++) {
            assertThat(inventory.stock("B-2")).isEqualTo("fallback for B-2 after NotFound");
        }
        assertThat(registry.circuitBreakers().get("inventory").state())
                .as("a 404 is the service answering: record-on-status does not list it")
                .isEqualTo(CircuitState.CLOSED);
        assertThat(server.requests("/stock/B-2")).hasSize(8);
    }

    @HttpExchange("/stock")
    public interface InventoryClient {

        @GetExchange("/{sku}")
        String stock(@PathVariable String sku);
    }

    /** Spring Cloud finds the method of the client's name and parameters, the failure first. */
    public static class InventoryFallbacks {

        public String stock(Throwable failure, String sku) {
            return "fallback for " + sku + " after " + failure.getClass().getSimpleName();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ImportHttpServices(group = "inventory", types = InventoryClient.class)
    @HttpServiceFallback(value = InventoryFallbacks.class, group = "inventory")
    static class InventoryApplication {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
