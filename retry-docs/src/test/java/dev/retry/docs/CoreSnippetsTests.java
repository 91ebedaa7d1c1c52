package dev.retry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.BulkheadPolicy;
import dev.retry.core.HedgePolicy;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;
import dev.retry.docs.CoreSnippets.InventoryClient;
import dev.retry.docs.CoreSnippets.Stock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The core page's examples do what the page says they do, not only compile. */
class CoreSnippetsTests {

    private final CoreSnippets examples = new CoreSnippets();

    /** An inventory whose first {@code failures} calls throw {@code failure}, then answer. */
    private static final class Inventory implements InventoryClient {
        private final AtomicInteger calls = new AtomicInteger();
        private final int failures;
        private final IOException failure;

        Inventory(int failures, IOException failure) {
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        public Stock fetchStock(String sku) throws IOException {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
            return new Stock(sku, 7);
        }

        @Override
        public CompletionStage<Stock> fetchStockAsync(String sku) {
            return CompletableFuture.completedFuture(new Stock(sku, 7));
        }
    }

    @Test
    void theRetryExampleRetriesAnIOExceptionAndAnswers() throws IOException {
        Inventory inventory = new Inventory(2, new IOException("reset"));

        assertThat(examples.retry(inventory, "A-1")).isEqualTo(new Stock("A-1", 7));
        assertThat(inventory.calls).as("two failures, then the answer").hasValue(3);
    }

    @Test
    void thePipelinesFallbackAnswersWhatEndsTheCallAndASuccessPassesThrough() throws IOException {
        Inventory broken = new Inventory(Integer.MAX_VALUE, new IOException("refused"));
        RetryPolicy twoAttempts = RetryPolicy.builder().maxAttempts(2).delay(Duration.ZERO).build();

        Stock answered = examples.pipeline(broken, "A-1", examples.fallback(), twoAttempts,
                BulkheadPolicy.ofDefaults(), examples.circuitBreaker(), TimeoutPolicy.ofDefaults(), HedgePolicy.builder().build());

        assertThat(answered).as("the fallback example's answer to an IOException").isEqualTo(Stock.unknown());
        assertThat(broken.calls).as("both attempts were made first").hasValue(2);

        Stock stock = examples.pipeline(new Inventory(0, null), "B-2", examples.fallback(), twoAttempts,
                BulkheadPolicy.ofDefaults(), examples.circuitBreaker(), TimeoutPolicy.ofDefaults(), HedgePolicy.builder().build());
        assertThat(stock).isEqualTo(new Stock("B-2", 7));
    }
}
