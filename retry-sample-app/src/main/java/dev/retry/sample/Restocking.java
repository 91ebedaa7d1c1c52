package dev.retry.sample;

import dev.retry.annotation.Retryable;
import dev.retry.core.RetryContext;
import java.util.List;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * A bulk operation that calls its own annotated method through {@code this}: {@link #restockAll}
 * asks the warehouse to restock each item with {@link #restock}, which is {@code @Retryable}.
 *
 * <p>Behind a Spring proxy that inner call would never be retried, since it does not pass the proxy.
 * The sample's classes are woven with {@code retry-aspectj} at compile time and it runs with {@code
 * retry.mode: aspectj}, so the aspect sits inside {@code restock} itself and retries every call of it,
 * this one included; the dashboard shows the {@code restock} policy's retries.
 */
public class Restocking {

    private final RestClient warehouse;

    public Restocking(RestClient warehouse) {
        this.warehouse = warehouse;
    }

    /**
     * Restocks every item in turn; an item that still fails after its retries is left for the next run.
     *
     * @return how many items the warehouse restocked
     */
    public int restockAll(List<String> skus) {
        int restocked = 0;
        for (String sku : skus) {
            try {
                this.restock(sku);
                restocked++;
            } catch (RestClientException failedForGood) {
                // counted by the meters as a failure after retry; the next run tries it again
            }
        }
        return restocked;
    }

    /** One item's restock; the same key on every attempt lets the warehouse do it only once. */
    @Retryable("restock")
    public void restock(String sku) {
        warehouse
                .post()
                .uri("/restock/{sku}", sku)
                .header("Idempotency-Key", RetryContext.current().idempotencyKey())
                .retrieve()
                .toBodilessEntity();
    }
}
