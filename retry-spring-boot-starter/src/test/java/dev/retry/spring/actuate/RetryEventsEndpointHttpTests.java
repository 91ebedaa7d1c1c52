package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.AttemptTimeoutException;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.CircuitOpenException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;

/**
 * {@code GET /actuator/retryevents} over real HTTP, after real calls through annotated methods: a
 * retried call, a breaker that opened and refused, a bulkhead that refused; every section listed,
 * each name's events newest first, a single list by section and name, 404 for what is not there.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=retryevents",
            "retry.policies.inventory.max-attempts=3",
            "retry.policies.inventory.delay=0ms",
            "retry.circuit-breakers.payments.minimum-calls=1",
            "retry.circuit-breakers.payments.window-size=1",
            "retry.circuit-breakers.payments.open-duration=1h",
            "retry.bulkheads.reports.max-concurrent-calls=1",
            "retry.timeouts.search.duration=100ms"
        })
@DirtiesContext
class RetryEventsEndpointHttpTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Services services() {
            return new Services();
        }
    }

    static class Services {

        @Retryable("inventory")
        public String reserve() throws IOException {
            throw new IOException("inventory is down");
        }

        @CircuitBreaker("payments")
        public String pay() {
            throw new IllegalStateException("declined");
        }

        @Bulkhead("reports")
        public String report(Supplier<String> inside) {
            return inside.get();
        }

        /** Overruns its 100 ms and is interrupted at the deadline. */
        @Timeout("search")
        public String search() throws InterruptedException {
            Thread.sleep(60_000);
            return "too late";
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Services services;

    private RestClient http() {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port + "/actuator/retryevents")
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }

    private ResponseEntity<String> get(String path) {
        return http().get().uri(path).retrieve().toEntity(String.class);
    }

    @Test
    void everySectionListsItsNamesWithTheirEventsNewestFirst() {
        Instant before = Instant.now();
        assertThatThrownBy(services::reserve).isInstanceOf(IOException.class);
        assertThatThrownBy(services::pay).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(services::pay).isInstanceOf(CircuitOpenException.class);
        assertThatThrownBy(() -> services.report(() -> services.report(() -> "inner")))
                .isInstanceOf(BulkheadFullException.class);

        ResponseEntity<String> all = get("");

        assertThat(all.getStatusCode().value()).isEqualTo(200);
        String json = all.getBody();
        Map<String, Object> sections = JsonPath.read(json, "$");
        assertThat(sections).containsOnlyKeys("policies", "circuit-breakers", "hedges", "timeouts", "bulkheads");
        List<Map<String, Object>> inventory = JsonPath.read(json, "$.policies.inventory");
        // The newest three: another test of this class may have retried inventory before.
        assertThat(inventory.subList(0, 3))
                .extracting(event -> event.get("kind"), event -> event.get("attempt"), event -> event.get("exception"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gave-up", 3, "java.io.IOException"),
                        org.assertj.core.groups.Tuple.tuple("retry", 2, "java.io.IOException"),
                        org.assertj.core.groups.Tuple.tuple("retry", 1, "java.io.IOException"));
        assertThat(Instant.parse((String) inventory.get(0).get("time"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(inventory.get(0)).containsEntry("reason", "attempts-exhausted");
        List<Map<String, Object>> payments = JsonPath.read(json, "$.circuit-breakers.payments");
        assertThat(payments)
                .extracting(event -> event.get("kind"))
                .containsExactly("rejected", "transition", "failure");
        assertThat(payments.get(1)).containsEntry("from", "CLOSED").containsEntry("to", "OPEN");
        assertThat(payments.get(1)).doesNotContainKeys("exception", "attempt");
        List<Map<String, Object>> reports = JsonPath.read(json, "$.bulkheads.reports");
        assertThat(reports).extracting(event -> event.get("kind")).containsExactly("rejected");
    }

    @Test
    void aTimeoutThatFiredIsListedUnderTimeouts() {
        assertThatThrownBy(services::search).isInstanceOf(AttemptTimeoutException.class);

        List<Map<String, Object>> search = JsonPath.read(get("/timeouts/search").getBody(), "$");

        assertThat(search).extracting(event -> event.get("kind")).containsExactly("timeout");
        assertThat(search.get(0)).containsKeys("time", "duration");
    }

    @Test
    void oneNamesListIsServedBySectionAndName() {
        assertThatThrownBy(services::reserve).isInstanceOf(IOException.class);

        ResponseEntity<String> inventory = get("/policies/inventory");

        assertThat(inventory.getStatusCode().value()).isEqualTo(200);
        List<String> kinds = JsonPath.read(inventory.getBody(), "$[*].kind");
        assertThat(kinds).startsWith("gave-up", "retry", "retry");
    }

    @Test
    void anUnknownSectionOrNameIsA404() {
        assertThat(get("/policies/nobody").getStatusCode().value()).isEqualTo(404);
        assertThat(get("/breakers/payments").getStatusCode().value()).isEqualTo(404);
        assertThat(get("/circuit-breakers/inventory").getStatusCode().value()).isEqualTo(404);
    }
}
