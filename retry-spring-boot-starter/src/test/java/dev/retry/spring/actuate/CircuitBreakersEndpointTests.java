package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

class CircuitBreakersEndpointTests {

    private final Map<String, CircuitBreakerPolicy> breakers = new LinkedHashMap<>();
    private final CircuitBreakersEndpoint endpoint = new CircuitBreakersEndpoint(() -> breakers);

    CircuitBreakersEndpointTests() {
        breakers.put("payments", CircuitBreakerPolicy.builder().name("payments").build());
        breakers.put(
                "inventory", CircuitBreakerPolicy.builder().name("inventory").build());
    }

    @Test
    void readsEveryBreakerSortedByName() {
        assertThat(endpoint.circuitBreakers().circuitBreakers())
                .containsOnlyKeys("inventory", "payments")
                .hasEntrySatisfying("inventory", breaker -> {
                    assertThat(breaker.state()).isEqualTo("CLOSED");
                    assertThat(breaker.failureRate()).isEqualTo(-1f);
                    assertThat(breaker.slowCallRate()).isEqualTo(-1f);
                    assertThat(breaker.bufferedCalls()).isZero();
                    assertThat(breaker.notPermittedCalls()).isZero();
                });
        assertThat(endpoint.circuitBreakers().circuitBreakers().keySet()).containsExactly("inventory", "payments");
    }

    @Test
    void readsOneBreakerAndAnswers404ForAnUnknownName() {
        assertThat(endpoint.circuitBreaker("payments").getBody().state()).isEqualTo("CLOSED");
        assertThat(endpoint.circuitBreaker("nope").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
    }

    @Test
    void movesABreakerToEveryState() {
        for (CircuitState state : CircuitState.values()) {
            WebEndpointResponse<Object> response = endpoint.transition("payments", state.name());
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(breakers.get("payments").state()).isEqualTo(state);
        }
    }

    @Test
    void anUnknownStateIsA400AndChangesNothing() {
        WebEndpointResponse<Object> response = endpoint.transition("payments", "AJAR");
        assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
        assertThat(response.getBody().toString())
                .contains("'AJAR'")
                .contains("CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED");
        assertThat(breakers.get("payments").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(endpoint.transition("payments", null).getStatus()).isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    @Test
    void writingToAnUnknownBreakerIsA404AndCreatesNothing() {
        assertThat(endpoint.transition("nope", "OPEN").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
        assertThat(breakers).doesNotContainKey("nope");
    }
}
