package dev.retry.spring.cloud;

import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.spring.registry.RetryRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The breakers both Spring Cloud factories hand out, by id: the {@code retry.circuit-breakers} entry
 * of that name when there is one (the very instance the annotations, meters and endpoints use), else
 * a breaker of its own built from the {@code default} entry, as an unnamed {@code @CircuitBreaker}
 * gets; then whatever a {@code Customizer} configured in code for that id, or for every id that
 * YAML does not name. Each id's breaker is handed out once, as {@code B}, the form the factory's API
 * wants it in.
 *
 * @param <B> what a factory's {@code create} returns for a breaker
 */
final class CloudBreakers<B> {

    private final RetryRegistry registry;
    private final Function<CircuitBreakerPolicy, B> wrap;
    private final Map<String, B> created = new ConcurrentHashMap<>();
    /** The ids YAML does not name, whose breakers this class had the registry build. */
    private final Set<String> unnamedInYaml = ConcurrentHashMap.newKeySet();

    private volatile @Nullable Function<String, CircuitBreakerConfig> defaultConfiguration;

    CloudBreakers(RetryRegistry registry, Function<CircuitBreakerPolicy, B> wrap) {
        this.registry = registry;
        this.wrap = wrap;
    }

    /** The breaker for {@code id}, made on the first call and the same one on every later call. */
    B create(String id, Map<String, CircuitBreakerConfig> configuredInCode) {
        return created.computeIfAbsent(id, name -> wrap.apply(breaker(name, configuredInCode)));
    }

    /** After {@code configure(...)}: a breaker handed out already takes its new configuration in place, keeping its state. */
    void configured(String[] ids, Map<String, CircuitBreakerConfig> configuredInCode) {
        for (String id : ids) {
            if (created.containsKey(id)) {
                breaker(id, configuredInCode);
            }
        }
    }

    /**
     * The breaker for {@code id}, given the configuration in code if there is one: the one
     * {@code configure(...)} gave that id, else, for an id YAML does not name, the one
     * {@code configureDefault(...)} gives. Called once per id, and again when code configures it anew.
     */
    private CircuitBreakerPolicy breaker(String id, Map<String, CircuitBreakerConfig> configuredInCode) {
        CircuitBreakerPolicy breaker = registered(id);
        CircuitBreakerConfig inCode = configuredInCode.get(id);
        Function<String, CircuitBreakerConfig> byDefault = defaultConfiguration;
        if (inCode == null && byDefault != null && unnamedInYaml.contains(id)) {
            inCode = byDefault.apply(id);
        }
        if (inCode != null) {
            breaker.reconfigure(renamed(inCode, id));
        }
        return breaker;
    }

    /** The builder a {@code configure(...)} call for {@code id} starts from: that breaker's configuration now. */
    RetryCircuitBreakerConfigBuilder builderFor(String id) {
        return new RetryCircuitBreakerConfigBuilder(registered(id).config());
    }

    void configureDefault(Function<String, CircuitBreakerConfig> configuration) {
        this.defaultConfiguration = configuration;
    }

    private CircuitBreakerPolicy registered(String id) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a circuit breaker id must not be empty");
        }
        CircuitBreakerPolicy named = registry.circuitBreakers().get(id);
        if (named != null) {
            return named;
        }
        unnamedInYaml.add(id);
        // "" asks the registry for a breaker of the default entry's configuration, named after id.
        return registry.circuitBreaker("", id);
    }

    /** A configuration built for another id (a shared default function, say) given this breaker's name. */
    private static CircuitBreakerConfig renamed(CircuitBreakerConfig config, String id) {
        return config.name().equals(id)
                ? config
                : CircuitBreakerPolicy.builder(config).name(id).buildConfig();
    }
}
