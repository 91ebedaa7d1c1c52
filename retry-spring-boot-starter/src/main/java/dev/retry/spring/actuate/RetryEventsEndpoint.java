package dev.retry.spring.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/retryevents}: the recent events of every retry policy, circuit breaker, hedge,
 * timeout and bulkhead, newest first.
 *
 * <ul>
 *   <li>{@code GET /actuator/retryevents}: {@code {"<section>": {"<name>": [event, ...]}}} for the
 *       sections {@code policies}, {@code circuit-breakers}, {@code hedges}, {@code timeouts} and
 *       {@code bulkheads};
 *   <li>{@code GET /actuator/retryevents/{section}/{name}}: that list; an unknown section or name is
 *       a 404.
 * </ul>
 *
 * <p>An event is {@code {"time": "<ISO-8601 instant>", "kind": "<kind>", ...}} with {@code
 * exception}, {@code attempt}, {@code from}/{@code to} and the other fields only where they apply.
 */
@Endpoint(id = "retryevents")
public class RetryEventsEndpoint {

    private final Supplier<Map<String, Map<String, List<Map<String, Object>>>>> events;

    /**
     * @param events every section's names with their events, each event as its JSON fields; read anew
     *     on every request
     */
    public RetryEventsEndpoint(Supplier<Map<String, Map<String, List<Map<String, Object>>>>> events) {
        this.events = events;
    }

    @ReadOperation
    public Map<String, Map<String, List<Map<String, Object>>>> events() {
        return events.get();
    }

    /** The events of {@code name} in {@code section}; {@code null}, which the actuator answers with a 404, when either is unknown. */
    @ReadOperation
    public @Nullable List<Map<String, Object>> events(@Selector String section, @Selector String name) {
        Map<String, List<Map<String, Object>>> byName = events.get().get(section);
        return byName == null ? null : byName.get(name);
    }
}
