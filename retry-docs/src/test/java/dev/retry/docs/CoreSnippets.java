package dev.retry.docs;

import dev.retry.core.Backoff;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CoreThreads;
import dev.retry.core.FallbackPolicy;
import dev.retry.core.HedgePolicy;
import dev.retry.core.Jitter;
import dev.retry.core.Pipeline;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;

/**
 * The Java examples of docs/core.md, each between its {@code tag::} and {@code end::} lines exactly
 * as the page shows it ({@link SnippetsTests} holds them equal), so that every one compiles against
 * the core as it is. {@link CoreSnippetsTests} runs them.
 */
class CoreSnippets {

    record Stock(String sku, int quantity) {
        static Stock unknown() {
            return new Stock("", -1);
        }
    }

    record Page(String text) {
    }

    /** What the examples call: a remote inventory. */
    interface InventoryClient {
        Stock fetchStock(String sku) throws IOException;

        CompletionStage<Stock> fetchStockAsync(String sku);
    }

    /** What the hedging example calls: a remote search. */
    interface SearchService {
        Page query(String terms) throws IOException;

        CompletionStage<Page> queryAsync(String terms);
    }

    Stock retry(InventoryClient client, String sku) throws IOException {
        // tag::retry[]
        RetryPolicy retry = RetryPolicy.builder()
                .name("inventory")
                .maxAttempts(5)                         // the first attempt included
                .backoff(Backoff.EXPONENTIAL)           // FIXED | LINEAR | EXPONENTIAL | FIBONACCI
                .delay(Duration.ofMillis(100))          // before the first retry
                .multiplier(2.0)
                .maxDelay(Duration.ofSeconds(10))       // cap on any one delay
                .jitter(Jitter.FULL)                    // NONE | FULL | EQUAL | DECORRELATED
                .maxDuration(Duration.ofSeconds(30))    // no retry starts that would begin later than this
                .retryOn(IOException.class)             // subclasses and the cause chain match
                .abortOn(FileNotFoundException.class)   // never retried; wins over retryOn
                .budget(0.1, 10)                        // retries <= 10 % of calls over 10 s, plus 10 per second
                .build();

        Stock stock = retry.call(() -> client.fetchStock(sku));               // checked exceptions pass through as they are
        CompletableFuture<Stock> later = retry.callAsync(() -> client.fetchStockAsync(sku));  // no thread waits between attempts
        // end::retry[]
        return stock;
    }

    CircuitBreakerPolicy circuitBreaker() {
        // tag::circuit-breaker[]
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .countWindow(100)                       // or timeWindow(60): the calls of the last 60 seconds
                .minimumCalls(20)                       // no rate is judged before this many calls
                .failureRateThreshold(50)               // percent
                .slowCallDuration(Duration.ofSeconds(2))
                .slowCallRateThreshold(80)              // percent of calls slower than that
                .openDuration(Duration.ofSeconds(30))
                .openDurationGrowth(2.0, Duration.ofMinutes(5))  // longer after each failed round of trials
                .halfOpenCalls(5)                       // exactly this many trial calls; others are refused
                .recordOn(IOException.class)            // other exceptions count as successes: the callee answered
                .ignoreOn(IllegalArgumentException.class)
                .build();
        // end::circuit-breaker[]
        return breaker;
    }

    FallbackPolicy fallback() {
        // tag::fallback[]
        FallbackPolicy fallback = FallbackPolicy.builder()
                .on(CircuitOpenException.class, (failure, sku) -> Stock.unknown())
                .on(IOException.class, (failure, sku) -> Stock.unknown())
                .lastKnownGood(10_000, Duration.ofMinutes(5))   // the last good result per key, at most this old
                .build();
        // end::fallback[]
        return fallback;
    }

    Page hedge(SearchService search, String terms) throws IOException {
        // tag::hedge[]
        HedgePolicy hedge = HedgePolicy.builder()
                .name("search")
                .delayPercentile(95, Duration.ofMillis(10), Duration.ofSeconds(1))  // or .delay(Duration.ofMillis(100))
                .maxHedges(1)                           // extra attempts beyond the first
                .budget(0.05)                           // hedges <= 5 % of calls over 10 s
                .executor(Executors.newFixedThreadPool(16))   // on Java 21+: Executors.newVirtualThreadPerTaskExecutor()
                .build();

        Page page = hedge.call(() -> search.query(terms));                      // the first success wins
        CompletableFuture<Page> later = hedge.callAsync(() -> search.queryAsync(terms));  // hedges started by the scheduler
        // end::hedge[]
        return page;
    }

    Stock timeout(InventoryClient client, String sku) throws IOException {
        // tag::timeout[]
        TimeoutPolicy timeout = TimeoutPolicy.builder()
                .name("catalog")
                .duration(Duration.ofMillis(800))       // the limit on each attempt, more than zero
                .interrupt(true)                        // interrupt a synchronous attempt's thread at the deadline
                .build();

        Stock stock = timeout.call(() -> client.fetchStock(sku));              // runs on this thread
        CompletableFuture<Stock> later = timeout.callAsync(() -> client.fetchStockAsync(sku));  // fails at the deadline
        // end::timeout[]
        return stock;
    }

    Stock bulkhead(InventoryClient client, String sku) throws IOException {
        // tag::bulkhead[]
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .name("inventory")
                .maxConcurrentCalls(10)                 // calls that may run at once, at least 1
                .maxWait(Duration.ofMillis(50))         // how long a call may wait for a permit; zero refuses at once
                .build();

        Stock stock = bulkhead.call(() -> client.fetchStock(sku));             // BulkheadFullException when none is free in time
        CompletableFuture<Stock> later = bulkhead.callAsync(() -> client.fetchStockAsync(sku));  // waits without a thread
        // end::bulkhead[]
        return stock;
    }

    Stock pipeline(InventoryClient client, String sku, FallbackPolicy fallback, RetryPolicy retry,
            BulkheadPolicy bulkhead, CircuitBreakerPolicy breaker, TimeoutPolicy timeout, HedgePolicy hedge)
            throws IOException {
        // tag::pipeline[]
        Pipeline pipeline = Pipeline.builder()
                .fallback(fallback)
                .retry(retry)
                .bulkhead(bulkhead)
                .circuitBreaker(breaker)
                .timeout(timeout)
                .hedge(hedge)
                .build();

        Stock stock = pipeline.call(client::fetchStock, sku);
        // end::pipeline[]
        return stock;
    }

    /** Called as an undeployed application shuts down; never from a test, which would stop others' threads. */
    void stopCoreThreads() {
        // tag::core-threads[]
        CoreThreads.stop();
        // end::core-threads[]
    }
}
