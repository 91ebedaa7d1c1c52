package dev.retry.spring.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One counter per exception class under a meter's fixed tags, tagged {@code exception} with the
 * class's simple name ({@code none} when there is no exception). Cardinality is bounded by the
 * classes an application throws; each counter is registered the first time its class is seen and
 * found in a map after that, so counting a class seen before builds no strings and registers nothing.
 */
final class CountersByException {

    /** The tag value of a call or retry without an exception (a result judged a failure, or a success). */
    static final String NONE = "none";

    private final MeterRegistry registry;
    private final String meter;
    private final String description;
    private final Tags tags;
    private final Counter none;
    private final Map<Class<?>, Counter> byClass = new ConcurrentHashMap<>();

    CountersByException(MeterRegistry registry, String meter, String description, Tags tags) {
        this.registry = registry;
        this.meter = meter;
        this.description = description;
        this.tags = tags;
        this.none = register(NONE);
    }

    /** The counter of this exception's class, or of {@code none} without one. */
    Counter of(@Nullable Throwable failure) {
        if (failure == null) {
            return none;
        }
        Counter counter = byClass.get(failure.getClass());
        return counter != null ? counter : byClass.computeIfAbsent(failure.getClass(), type -> register(name(type)));
    }

    /** The counter tagged {@code none}, registered from the start so that a dashboard shows zero, not nothing. */
    Counter none() {
        return none;
    }

    private Counter register(String exception) {
        return Counter.builder(meter)
                .description(description)
                .tags(tags)
                .tag("exception", exception)
                .register(registry);
    }

    /** The simple name, or for an anonymous class (whose simple name is empty) the name it was given. */
    private static String name(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName().substring(type.getName().lastIndexOf('.') + 1) : simple;
    }
}
