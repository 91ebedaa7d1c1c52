package dev.retry.spring.http;

import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.HedgePolicy;
import dev.retry.core.Pipeline;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;
import dev.retry.spring.registry.RetryRegistry;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The pipelines of one named HTTP client: the policies configured under that name in each section
 * ({@code retry.policies.<name>}, {@code retry.circuit-breakers.<name>}, {@code retry.timeouts},
 * {@code retry.hedges}, {@code retry.bulkheads}), composed in the documented order; one pipeline with
 * all of them for requests that may be sent twice, one without retry and hedge for those that may
 * not, and with {@link HttpPipelineOptions#breakerPerHost()} one pair per host.
 */
final class HttpPipelines {

    /** Methods that ask for nothing more when sent twice (RFC 9110, 9.2.2). */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final RetryRegistry registry;
    private final String name;
    private final HttpPipelineOptions options;
    private final Set<Integer> judgedStatuses;
    private final Pair shared;
    private final Map<String, Pair> byHost = new ConcurrentHashMap<>();

    private record Pair(Pipeline repeatable, Pipeline once) {}

    HttpPipelines(RetryRegistry registry, String name, HttpPipelineOptions options) {
        this.registry = registry;
        this.name = name;
        this.options = options;
        if (registry.retryPolicies().get(name) == null
                && registry.circuitBreakers().get(name) == null
                && registry.timeoutPolicies().get(name) == null
                && registry.hedgePolicies().get(name) == null
                && registry.bulkheads().get(name) == null) {
            throw new IllegalArgumentException("HTTP client pipeline '" + name
                    + "' names no configured entry: configure retry.policies." + name + ", retry.circuit-breakers."
                    + name + ", retry.timeouts." + name + ", retry.hedges." + name + " or retry.bulkheads." + name
                    + " (any of them)");
        }
        Set<Integer> statuses = new HashSet<>(registry.retryOnStatus(name));
        statuses.addAll(registry.recordOnStatus(name));
        this.judgedStatuses = Set.copyOf(statuses);
        this.shared = pair(registry.circuitBreakers().get(name));
    }

    /**
     * The statuses the policies of this name retry ({@code retry-on-status}) or count as the
     * dependency's trouble ({@code record-on-status}): an answer with one of them fails its attempt.
     * Read when the client is built.
     */
    boolean judges(int status) {
        return judgedStatuses.contains(status);
    }

    /** The pipeline for this request: whether it may be sent twice decides whether it is retried and hedged. */
    Pipeline pipelineFor(HttpMethod method, URI uri, HttpHeaders headers) {
        Pair pair = options.breakerPerHost() ? forHost(uri) : shared;
        return mayBeSentTwice(method, headers) ? pair.repeatable() : pair.once();
    }

    private boolean mayBeSentTwice(HttpMethod method, HttpHeaders headers) {
        return options.retryNonIdempotent() || IDEMPOTENT.contains(method) || headers.containsHeader(IDEMPOTENCY_KEY);
    }

    private Pair forHost(URI uri) {
        CircuitBreakerPolicy named = registry.circuitBreakers().get(name);
        if (named == null || uri.getHost() == null) {
            return shared;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return byHost.computeIfAbsent(host, h -> pair(hostBreaker(named, h)));
    }

    /**
     * A breaker of the registry's (in its meters and endpoint) named {@code <name>@<host>}: the
     * registry builds it from the {@code default} entry, and it then takes the named entry's
     * configuration in place.
     */
    private CircuitBreakerPolicy hostBreaker(CircuitBreakerPolicy named, String host) {
        String breakerName = name + "@" + host;
        CircuitBreakerPolicy breaker = registry.circuitBreaker("", breakerName);
        breaker.reconfigure(
                CircuitBreakerPolicy.builder(named.config()).name(breakerName).buildConfig());
        return breaker;
    }

    private Pair pair(@Nullable CircuitBreakerPolicy breaker) {
        return new Pair(build(breaker, true), build(breaker, false));
    }

    private Pipeline build(@Nullable CircuitBreakerPolicy breaker, boolean repeatable) {
        Pipeline.PipelineBuilder pipeline = Pipeline.builder();
        RetryPolicy retry = registry.retryPolicies().get(name);
        HedgePolicy hedge = registry.hedgePolicies().get(name);
        TimeoutPolicy timeout = registry.timeoutPolicies().get(name);
        BulkheadPolicy bulkhead = registry.bulkheads().get(name);
        if (repeatable && retry != null) {
            pipeline.retry(retry);
        }
        if (repeatable && hedge != null) {
            pipeline.hedge(hedge);
        }
        if (breaker != null) {
            pipeline.circuitBreaker(breaker);
        }
        if (timeout != null) {
            pipeline.timeout(timeout);
        }
        if (bulkhead != null) {
            pipeline.bulkhead(bulkhead);
        }
        return pipeline.build();
    }
}
