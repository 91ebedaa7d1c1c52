package dev.retry.spring.actuate;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerSnapshot;
import dev.retry.core.CircuitState;
import dev.retry.spring.config.EnumNames;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code /actuator/circuitbreakers}: every breaker's state and counts, and a way to move one.
 *
 * <p>Web only, because its answers are HTTP answers: an unknown breaker is a 404 and a bad request
 * a 400 whose {@code error} lists the states, and neither changes or creates anything.
 *
 * <p>A move is {@code POST /actuator/circuitbreakers/{name}} with the JSON body {@code {"state":
 * "OPEN"}}. The actuator lets a write operation that reads a body accept JSON only, and would answer
 * a request without {@code Content-Type: application/json} (a bare {@code curl -X POST} sends
 * neither body nor type) with a 415 before this class saw it. So a second write operation on the
 * same path, one that reads no body and so accepts every content type, takes the requests without a
 * body and answers them with the same 400 as a JSON body without a state. A body of another type
 * ({@code text/plain}, a form) is refused by the actuator's request mapping, before any operation of
 * this class runs; under Spring MVC {@link CircuitBreakersBodyTypeResolver} turns that 415 into the
 * same 400, and likewise JSON that the actuator cannot read as names with single values (malformed,
 * or a state that is an array or an object), which fails before any operation runs.
 */
@WebEndpoint(id = "circuitbreakers")
public class CircuitBreakersEndpoint {

    private static final List<String> STATES =
            Arrays.stream(CircuitState.values()).map(Enum::name).toList();

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

    /**
     * Moves breaker {@code name} to {@code state}, read as {@code application.yml} reads a state:
     * in any case, with {@code -} or {@code _} between words ({@code half-open} is {@code
     * HALF_OPEN}). Answers with the breaker as it is afterwards.
     */
    @WriteOperation
    public WebEndpointResponse<Object> transition(@Selector String name, @Nullable String state) {
        CircuitBreakerPolicy breaker = breakers.get().get(name);
        if (breaker == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        if (state == null || state.isBlank()) {
            return badRequest(name, "the body names no state");
        }
        CircuitState target = parse(state);
        if (target == null) {
            return badRequest(name, "unknown circuit breaker state '" + state + "'");
        }
        breaker.transitionTo(target);
        return new WebEndpointResponse<>(CircuitBreakerDescriptor.of(breaker.snapshot()));
    }

    /**
     * A {@code POST} the actuator found no JSON body in (see the class comment): refused like a body
     * without a state, or a 404 for an unknown breaker, as {@link #transition} answers.
     */
    @WriteOperation
    public WebEndpointResponse<Object> transitionWithoutJsonBody(@Selector String name) {
        if (!breakers.get().containsKey(name)) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return badRequest(name, "the request has no JSON body");
    }

    private static WebEndpointResponse<Object> badRequest(String name, String problem) {
        return new WebEndpointResponse<>(refusal(name, problem), WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    /** Whether {@code name} is a breaker this endpoint moves. */
    boolean hasBreaker(String name) {
        return breakers.get().containsKey(name);
    }

    /** The body of every 400: {@code error}, which says what to send, and {@code states}. */
    static Map<String, Object> refusal(String name, String problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "error",
                "Cannot move circuit breaker '" + name + "': " + problem + ". Send Content-Type: "
                        + "application/json with {\"state\": \"<state>\"}, the state one of "
                        + String.join(", ", STATES)
                        + " (any case; half-open for HALF_OPEN works too).");
        body.put("states", STATES);
        return body;
    }

    /** The YAML's rule for a choice, so that a state is read here as the YAML reads it. */
    private static @Nullable CircuitState parse(String state) {
        return EnumNames.parse(state, CircuitState.class);
    }

    /** The endpoint's answer to a read of all breakers. */
    public record CircuitBreakersDescriptor(Map<String, CircuitBreakerDescriptor> circuitBreakers) {}

    /** One breaker as the endpoint shows it. */
    public record CircuitBreakerDescriptor(
            String state,
            float failureRate,
            float slowCallRate,
            int bufferedCalls,
            int failedCalls,
            int slowCalls,
            long notPermittedCalls) {

        public static CircuitBreakerDescriptor of(CircuitBreakerSnapshot snapshot) {
            return new CircuitBreakerDescriptor(
                    snapshot.state().name(),
                    snapshot.failureRate(),
                    snapshot.slowCallRate(),
                    snapshot.bufferedCalls(),
                    snapshot.failedCalls(),
                    snapshot.slowCalls(),
                    snapshot.notPermittedCalls());
        }
    }
}
