package dev.retry.spring.http;

import dev.retry.spring.registry.RetryRegistry;
import java.util.function.Consumer;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

/**
 * Resilience for every request of an HTTP client, without an annotation on each method: a client
 * built with {@code http.apply(clients.restClient("inventory"))} sends each request through the
 * policies configured under {@code inventory} in each section of {@code retry.*} (retry policy,
 * hedge, circuit breaker, timeout, bulkhead: whichever of them exist), with the HTTP rules of
 * annotated methods ({@code retry-on-status}, {@code Retry-After}, {@code record-on-status}).
 *
 * <pre>{@code
 * @Bean
 * RestClient inventory(RestClient.Builder http, RetryHttpClients clients) {
 *     return http.baseUrl("https://inventory.example.com").apply(clients.restClient("inventory")).build();
 * }
 * }</pre>
 *
 * <p>Safe by default: only requests that may be sent twice are retried or hedged, those whose method
 * is idempotent ({@code GET}, {@code HEAD}, {@code OPTIONS}, {@code PUT}, {@code DELETE}) and those
 * that carry an {@code Idempotency-Key} header. Any other request ({@code POST}, {@code PATCH}) still
 * passes the breaker, the timeout and the bulkhead, but is sent once, unless
 * {@link HttpPipelineOptions#withRetryNonIdempotent()} says otherwise.
 */
public final class RetryHttpClients {

    private final RetryRegistry registry;

    public RetryHttpClients(RetryRegistry registry) {
        this.registry = registry;
    }

    /** Adds {@link #interceptor(String)} to a {@code RestClient.Builder}, for {@code builder.apply(...)}. */
    public Consumer<RestClient.Builder> restClient(String name) {
        return restClient(name, HttpPipelineOptions.defaults());
    }

    /** Adds {@link #interceptor(String, HttpPipelineOptions)} to a {@code RestClient.Builder}. */
    public Consumer<RestClient.Builder> restClient(String name, HttpPipelineOptions options) {
        ClientHttpRequestInterceptor interceptor = interceptor(name, options);
        return builder -> builder.requestInterceptor(interceptor);
    }

    /** The interceptor for a {@code RestClient} or {@code RestTemplate}, with the safe defaults. */
    public ClientHttpRequestInterceptor interceptor(String name) {
        return interceptor(name, HttpPipelineOptions.defaults());
    }

    /**
     * The interceptor for a {@code RestClient} or {@code RestTemplate}. Put it last among the
     * client's interceptors, so that each attempt runs those before it only once.
     *
     * @throws IllegalArgumentException when no section of {@code retry.*} configures {@code name}
     */
    public ClientHttpRequestInterceptor interceptor(String name, HttpPipelineOptions options) {
        return new PipelineRequestInterceptor(new HttpPipelines(registry, name, options));
    }
}
