package dev.retry.spring.http;

import dev.retry.spring.registry.RetryRegistry;
import java.util.function.Consumer;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What {@link RetryHttpClients} gives a {@code RestClient}, for a {@code WebClient}: every exchange of
 * the client runs through the policies configured under one name, with the same HTTP rules and the
 * same safe defaults (only requests that may be sent twice are retried or hedged). Each subscription
 * is one call; the backoff between attempts is scheduled, no thread waits for it.
 *
 * <pre>{@code
 * @Bean
 * WebClient inventory(WebClient.Builder http, RetryWebClientFilters filters) {
 *     return http.baseUrl("https://inventory.example.com").apply(filters.webClient("inventory")).build();
 * }
 * }</pre>
 */
public final class RetryWebClientFilters {

    private final RetryRegistry registry;

    public RetryWebClientFilters(RetryRegistry registry) {
        this.registry = registry;
    }

    /** Adds {@link #filter(String)} to a {@code WebClient.Builder}, for {@code builder.apply(...)}. */
    public Consumer<WebClient.Builder> webClient(String name) {
        return webClient(name, HttpPipelineOptions.defaults());
    }

    /** Adds {@link #filter(String, HttpPipelineOptions)} to a {@code WebClient.Builder}. */
    public Consumer<WebClient.Builder> webClient(String name, HttpPipelineOptions options) {
        ExchangeFilterFunction filter = filter(name, options);
        return builder -> builder.filter(filter);
    }

    public ExchangeFilterFunction filter(String name) {
        return filter(name, HttpPipelineOptions.defaults());
    }

    /**
     * The exchange filter. Put it last among the client's filters, so that each attempt runs those
     * before it only once.
     *
     * @throws IllegalArgumentException when no section of {@code retry.*} configures {@code name}
     */
    public ExchangeFilterFunction filter(String name, HttpPipelineOptions options) {
        return new PipelineExchangeFilter(new HttpPipelines(registry, name, options));
    }
}
