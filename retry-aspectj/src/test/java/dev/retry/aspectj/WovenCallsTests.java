package dev.retry.aspectj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Fallback;
import dev.retry.annotation.Retryable;
import dev.retry.core.RetryContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Calls of classes woven at compile time (the AspectJ Maven plugin weaves this module's tests with
 * its aspect), made with no Spring application running: objects built with {@code new}, calls from
 * inside the object, and private, final and static methods, all on the built-in {@code default}
 * configuration (3 attempts).
 */
class WovenCallsTests {

    /** Fails until its third attempt; every method reached only from inside the class or statically. */
    static class Warehouse {

        static final AtomicInteger STATIC_ATTEMPTS = new AtomicInteger();

        final AtomicInteger attempts = new AtomicInteger();
        final List<Integer> attemptsSeen = new ArrayList<>();

        /** Not annotated itself: it calls the annotated method through {@code this}. */
        String stock(String sku) throws IOException {
            return this.count(sku);
        }

        @Retryable
        String count(String sku) throws IOException {
            attemptsSeen.add(RetryContext.current().attempt());
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("warehouse busy");
            }
            return sku + ": 7";
        }

        String secret() throws IOException {
            return hidden();
        }

        @Retryable
        private String hidden() throws IOException {
            if (attempts.incrementAndGet() < 2) {
                throw new IOException("busy");
            }
            return "hidden";
        }

        @Retryable
        public final String sealed() throws IOException {
            attempts.incrementAndGet();
            throw new IOException("down for good");
        }

        @Retryable
        static String shared() throws IOException {
            if (STATIC_ATTEMPTS.incrementAndGet() < 3) {
                throw new IOException("busy");
            }
            return "shared";
        }

        @Retryable
        @Fallback("fallbackShared")
        static String sharedOrNot() throws IOException {
            STATIC_ATTEMPTS.incrementAndGet();
            throw new IOException("shared down");
        }

        static String fallbackShared(IOException failure) {
            return "static fallback (" + failure.getMessage() + ")";
        }

        @Retryable
        @Fallback("cached")
        public String price(String sku) throws IOException {
            attempts.incrementAndGet();
            throw new IOException("pricing down");
        }

        String cached(String sku, IOException failure) {
            return sku + " at the cached price (" + failure.getMessage() + ")";
        }

        @Retryable
        public CompletionStage<String> later() {
            return attempts.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new IOException("not yet"))
                    : CompletableFuture.completedFuture("later");
        }
    }

    @Test
    void aCallFromInsideTheObjectIsRetried() throws IOException {
        Warehouse warehouse = new Warehouse();

        assertThat(warehouse.stock("sku-1")).isEqualTo("sku-1: 7");
        assertThat(warehouse.attempts).hasValue(3);
        assertThat(warehouse.attemptsSeen).containsExactly(1, 2, 3);
    }

    @Test
    void privateAndStaticMethodsAreRetried() throws IOException {
        Warehouse warehouse = new Warehouse();
        Warehouse.STATIC_ATTEMPTS.set(0);

        assertThat(warehouse.secret()).isEqualTo("hidden");
        assertThat(warehouse.attempts).hasValue(2);
        assertThat(Warehouse.shared()).isEqualTo("shared");
        assertThat(Warehouse.STATIC_ATTEMPTS).hasValue(3);
    }

    @Test
    void aStaticMethodsStaticFallbackAnswers() throws IOException {
        Warehouse.STATIC_ATTEMPTS.set(0);

        assertThat(Warehouse.sharedOrNot()).isEqualTo("static fallback (shared down)");
        assertThat(Warehouse.STATIC_ATTEMPTS).hasValue(3);
    }

    @Test
    void aFinalMethodThatKeepsFailingThrowsItsOwnCheckedExceptionAfterTheDefaultThreeAttempts() {
        Warehouse warehouse = new Warehouse();

        assertThatThrownBy(warehouse::sealed)
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("down for good");
        assertThat(warehouse.attempts).hasValue(3);
    }

    @Test
    void theFallbackAnswersOnceTheRetriesAreSpent() throws IOException {
        Warehouse warehouse = new Warehouse();

        assertThat(warehouse.price("sku-2")).isEqualTo("sku-2 at the cached price (pricing down)");
        assertThat(warehouse.attempts).hasValue(3);
    }

    @Test
    void aCompletionStageIsRetriedAsOnTheProxyPath() {
        Warehouse warehouse = new Warehouse();

        assertThat(warehouse.later().toCompletableFuture().join()).isEqualTo("later");
        assertThat(warehouse.attempts).hasValue(3);
    }
}
