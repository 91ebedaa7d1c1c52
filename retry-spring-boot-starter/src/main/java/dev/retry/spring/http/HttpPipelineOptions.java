package dev.retry.spring.http;

/**
 * How a client's named pipeline treats requests beyond the safe defaults.
 *
 * @param retryNonIdempotent whether a request that is neither idempotent by its method nor carries an
 *     {@code Idempotency-Key} header (a plain {@code POST} or {@code PATCH}) is retried and hedged too.
 *     Off by default: a second send of such a request may do its work twice.
 * @param breakerPerHost whether each host the client calls gets a breaker of its own, named
 *     {@code <name>@<host>} and configured as the named entry, so that one failing host cannot open
 *     the breaker for the others
 */
public record HttpPipelineOptions(boolean retryNonIdempotent, boolean breakerPerHost) {

    /** Only idempotent requests retried or hedged; one breaker for every host. */
    public static HttpPipelineOptions defaults() {
        return new HttpPipelineOptions(false, false);
    }

    public HttpPipelineOptions withRetryNonIdempotent() {
        return new HttpPipelineOptions(true, breakerPerHost);
    }

    public HttpPipelineOptions withBreakerPerHost() {
        return new HttpPipelineOptions(retryNonIdempotent, true);
    }
}
