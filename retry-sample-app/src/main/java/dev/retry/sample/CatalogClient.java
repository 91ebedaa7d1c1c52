package dev.retry.sample;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.RetryContext;
import org.springframework.web.client.RestClient;

/**
 * How an application talks to a dependency it cannot trust: every method is an ordinary HTTP call,
 * and the annotations, with the policies they name in {@code application.yml}, do the rest.
 *
 * <ul>
 *   <li>{@link #stock} and {@link #reserve} share the {@code warehouse} breaker and bulkhead: one
 *       dependency, one breaker and one limit on concurrent calls, however many methods call it.
 *       Each falls back when the warehouse fails, the breaker refuses or the bulkhead is full.
 *   <li>{@link #search} is a read that is safe to send twice, so it is hedged against the slow tail,
 *       and each attempt (with its hedge) is bounded by the {@code search} timeout;
 *       {@link #searchWithoutHedging} is the same read without hedging, for comparison.
 * </ul>
 */
public class CatalogClient {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CatalogClient.class);

    private final RestClient warehouse;

    public CatalogClient(RestClient warehouse) {
        this.warehouse = warehouse;
    }

    @Retryable("warehouse")
    @Bulkhead("warehouse")
    @CircuitBreaker("warehouse")
    @Fallback("stockUnknown")
    public Stock stock(String sku) {
        return warehouse
                .get()
                .uri("/stock/{sku}", sku)
                .header("Idempotency-Key", RetryContext.current().idempotencyKey())
                .retrieve()
                .body(Stock.class);
    }

    @Retryable("warehouse")
    @Bulkhead("warehouse")
    @CircuitBreaker("warehouse")
    @Fallback("reservationPending")
    public Reservation reserve(String sku) {
        // The same key on every attempt lets the warehouse make a retried reservation only once.
        return warehouse
                .post()
                .uri("/reserve/{sku}", sku)
                .header("Idempotency-Key", RetryContext.current().idempotencyKey())
                .retrieve()
                .body(Reservation.class);
    }

    @Hedged("search")
    @Timeout("search")
    @Retryable("search")
    public SearchResult search(String query) {
        return warehouse.get().uri("/search/{query}", query).retrieve().body(SearchResult.class);
    }

    @Timeout("search")
    @Retryable("search")
    public SearchResult searchWithoutHedging(String query) {
        return warehouse.get().uri("/search/{query}", query).retrieve().body(SearchResult.class);
    }

    Stock stockUnknown(String sku, CircuitOpenException refused) {
        return new Stock(sku, -1, "warehouse breaker open");
    }

    Stock stockUnknown(String sku, BulkheadFullException refused) {
        return new Stock(sku, -1, "warehouse busy");
    }

    Stock stockUnknown(String sku, Exception failure) {
        log.debug("stock({}) answered by its fallback after {}", sku, failure.toString());
        return new Stock(sku, -1, "warehouse failed: " + failure.getClass().getSimpleName());
    }

    Reservation reservationPending(String sku, Exception failure) {
        log.debug("reserve({}) answered by its fallback after {}", sku, failure.toString());
        return new Reservation(sku, null, true);
    }

    public record Stock(String sku, int available, String fallback) {}

    public record Reservation(String sku, String reservation, boolean pending) {}

    /** {@code slowAnswer}: the downstream took its slow-tail time over this answer. */
    public record SearchResult(String query, int hits, boolean slowAnswer) {}
}
