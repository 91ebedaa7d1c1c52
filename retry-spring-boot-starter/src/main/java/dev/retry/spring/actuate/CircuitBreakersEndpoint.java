package dev.retry.spring.actuate;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerSnapshot;
import dev.retry.core.CircuitState;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * {@code /actuator/circuitbreakers}: every breaker's state and counts, and a way to move one.
 *
 * <p>Web only, because its answers are HTTP answers: an unknown breaker is a 404 and an unknown
 * state a 400, and neither changes or creates anything.
 */
@WebEndpoint(id = "circuitbreakers")
public class CircuitBreakersEndpoint {

    private final Supplier<Map<String, CircuitBreakerPolicy>> breakers;

    /** @param breakers the breakers by name, read anew on every request */
    public CircuitBreakersEndpoint(Supplier<Map<String, CircuitBreakerPolicy>> breakers) {
        this.breakers = breakers;
    }

    @ReadOperation
    public CircuitBreakersDescriptor circuitBreakers() {
        Map<String, CircuitBreakerDescriptor> all = new TreeMap<>();
        breakers.get().forEach((name, breaker) -> all.put(name, CircuitBreakerDescriptor.of(breaker.snapshot())));
        return new CircuitBreakersDescriptor(all);
    }

    @ReadOperation
    public WebEndpointResponse<CircuitBreakerDescriptor> circuitBreaker(@Selector String name) {
        CircuitBreakerPolicy breaker = breakers.get().get(name);
        if (breaker == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(CircuitBreakerDescriptor.of(breaker.snapshot()));
    }

    /** Moves breaker {@code name} to {@code state}; answers with the breaker as it is afterwards. */
    @WriteOperation
    public WebEndpointResponse<Object> transition(@Selector String name, @Nullable String state) {
        CircuitBreakerPolicy breaker = breakers.get().get(name);
        if (breaker == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        CircuitState target = parse(state);
        if (target == null) {
            String allowed = Arrays.stream(CircuitState.values()).map(Enum::name).collect(Collectors.joining(", "));
            return new WebEndpointResponse<>(Map.of("error", "Unknown circuit breaker state '" + state
                    + "'; use one of " + allowed), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        breaker.transitionTo(target);
        return new WebEndpointResponse<>(CircuitBreakerDescriptor.of(breaker.snapshot()));
    }

    private static @Nullable CircuitState parse(@Nullable String state) {
        if (state == null) {
            return null;
        }
        for (CircuitState candidate : CircuitState.values()) {
            if (candidate.name().equals(state)) {
                return candidate;
            }
        }
        return null;
    }

    /** The endpoint's answer to a read of all breakers. */
    public record CircuitBreakersDescriptor(Map<String, CircuitBreakerDescriptor> circuitBreakers) {
    }

    /** One breaker as the endpoint shows it. */
    public record CircuitBreakerDescriptor(String state, float failureRate, float slowCallRate, int bufferedCalls,
            int failedCalls, int slowCalls, long notPermittedCalls) {

        public static CircuitBreakerDescriptor of(CircuitBreakerSnapshot snapshot) {
            return new CircuitBreakerDescriptor(snapshot.state().name(), snapshot.failureRate(), snapshot.slowCallRate(),
                    snapshot.bufferedCalls(), snapshot.failedCalls(), snapshot.slowCalls(), snapshot.notPermittedCalls());
        }
    }
}
