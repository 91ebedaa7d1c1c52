package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {

    private final VirtualClock time = new VirtualClock();
    private final List<String> answered = new ArrayList<>();

    private FallbackPolicyBuilder fallback() {
        return FallbackPolicy.builder()
                .name("stock")
                .ticker(time)
                .listener((name, failure, lastKnownGood) -> answered.add(
                        name + ":" + failure.getClass().getSimpleName() + (lastKnownGood ? ":last-known-good" : "")));
    }

    private static CheckedFunction<String, String, IOException> failingWith(Exception failure) {
        return sku -> {
            if (failure instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        };
    }

    @Test
    void theMostSpecificHandlerAnswers() throws IOException {
        FallbackPolicy policy = fallback()
                .on(Exception.class, (failure, sku) -> "any")
                .on(IOException.class, (failure, sku) -> "io")
                .on(ConnectException.class, (failure, sku) -> "connect " + sku)
                .build();
        assertThat(policy.call(failingWith(new ConnectException("refused")), "sku-1"))
                .isEqualTo("connect sku-1");
        assertThat(policy.call(failingWith(new IOException("reset")), "sku-1")).isEqualTo("io");
        assertThat(policy.call(failingWith(new IllegalStateException("bug")), "sku-1"))
                .isEqualTo("any");
        assertThat(answered)
                .containsExactly("stock:ConnectException", "stock:IOException", "stock:IllegalStateException");
    }

    @Test
    void aFailureNoHandlerTakesIsThrownAsItIs() {
        FallbackPolicy policy =
                fallback().on(IOException.class, (failure, sku) -> "io").build();
        IllegalArgumentException bad = new IllegalArgumentException("bad sku");
        assertThatThrownBy(() -> policy.call(failingWith(bad), "x")).isSameAs(bad);
        assertThat(answered).isEmpty();
    }

    @Test
    void errorsAreNeverAnswered() {
        FallbackPolicy policy =
                fallback().on(Throwable.class, (failure, sku) -> "anything").build();
        assertThatThrownBy(() -> policy.call(() -> {
                    throw new OutOfMemoryError("heap");
                }))
                .isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aHandlerThatFailsThrowsItsOwnFailureWithTheOriginalAttached() {
        IOException original = new IOException("down");
        FallbackPolicy policy = fallback()
                .on(IOException.class, (failure, sku) -> {
                    throw new IllegalStateException("no cached stock either");
                })
                .build();
        assertThatThrownBy(() -> policy.call(failingWith(original), "x"))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).containsExactly(original));
    }

    @Test
    void theLastGoodResultOfTheSameKeyIsServedWhileItIsFresh() throws IOException {
        FallbackPolicy policy = fallback()
                .lastKnownGood(100, Duration.ofMinutes(5))
                .on(IOException.class, (failure, sku) -> "unknown")
                .build();
        assertThat(policy.<String, String, RuntimeException>call(sku -> "42 left of " + sku, "sku-1"))
                .isEqualTo("42 left of sku-1");
        time.advance(Duration.ofMinutes(4));
        assertThat(policy.call(failingWith(new IOException("down")), "sku-1")).isEqualTo("42 left of sku-1");
        assertThat(policy.call(failingWith(new IOException("down")), "sku-2"))
                .as("another key")
                .isEqualTo("unknown");
        time.advance(Duration.ofMinutes(2));
        assertThat(policy.call(failingWith(new IOException("down")), "sku-1"))
                .as("too old")
                .isEqualTo("unknown");
        assertThat(answered)
                .containsExactly("stock:IOException:last-known-good", "stock:IOException", "stock:IOException");
    }

    @Test
    void lastKnownGoodHoldsAtMostItsNumberOfKeysDroppingTheOldestFirst() throws IOException {
        FallbackPolicy policy = fallback()
                .lastKnownGood(2, Duration.ofHours(1))
                .on(IOException.class, (failure, sku) -> "unknown")
                .build();
        policy.call(sku -> "a", "sku-a");
        policy.call(sku -> "b", "sku-b");
        policy.call(sku -> "c", "sku-c");
        assertThat(policy.call(failingWith(new IOException("down")), "sku-a")).isEqualTo("unknown");
        assertThat(policy.call(failingWith(new IOException("down")), "sku-b")).isEqualTo("b");
        assertThat(policy.call(failingWith(new IOException("down")), "sku-c")).isEqualTo("c");
    }

    @Test
    void anAsyncFailureIsAnsweredAndAHandlerMayAnswerWithAStage() {
        FallbackPolicy policy = fallback()
                .on(IOException.class, (failure, ignored) -> CompletableFuture.completedFuture("from cache"))
                .on(IllegalStateException.class, (failure, ignored) -> "plain")
                .build();
        assertThat(policy.<String>callAsync(() -> CompletableFuture.failedFuture(new IOException("down"))))
                .isCompletedWithValue("from cache");
        assertThat(policy.<String>callAsync(() -> CompletableFuture.failedFuture(new IllegalStateException("x"))))
                .isCompletedWithValue("plain");
        assertThat(policy.<String>callAsync(() -> {
                    throw new IllegalStateException("thrown before any stage");
                }))
                .isCompletedWithValue("plain");
    }

    @Test
    void anAsyncHandlerWhoseOwnStageFailsKeepsTheOriginalFailureAttachedAsTheSynchronousPathDoes() {
        IOException original = new IOException("down");
        IllegalStateException cacheDown = new IllegalStateException("no cached stock either");
        FallbackPolicy policy = fallback()
                .on(
                        IOException.class,
                        (failure, ignored) -> CompletableFuture.supplyAsync(
                                () -> {
                                    throw cacheDown; // reaches the policy wrapped in a CompletionException
                                },
                                Runnable::run))
                .build();
        CompletableFuture<String> result = policy.callAsync(() -> CompletableFuture.failedFuture(original));
        assertThat(result.handle((value, failure) -> failure).join()).isSameAs(cacheDown);
        assertThat(cacheDown.getSuppressed()).containsExactly(original);

        IllegalStateException thrownByHandler = new IllegalStateException("handler threw");
        FallbackPolicy throwing = fallback()
                .on(IOException.class, (failure, ignored) -> {
                    throw thrownByHandler;
                })
                .build();
        IOException second = new IOException("down again");
        CompletableFuture<String> failed = throwing.callAsync(() -> CompletableFuture.failedFuture(second));
        assertThat(failed.handle((value, failure) -> failure).join()).isSameAs(thrownByHandler);
        assertThat(thrownByHandler.getSuppressed()).containsExactly(second);
    }

    @Test
    void aPolicyThatCouldAnswerNothingIsRefused() {
        assertThatThrownBy(() -> FallbackPolicy.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a fallback policy needs a handler (on) or lastKnownGood to answer anything");
        assertThatThrownBy(() -> FallbackPolicy.builder()
                        .on(IOException.class, (f, a) -> 1)
                        .on(IOException.class, (f, a) -> 2))
                .hasMessage("a handler for java.io.IOException was already registered");
        assertThatThrownBy(() -> FallbackPolicy.builder().lastKnownGood(0, Duration.ofMinutes(1)))
                .hasMessage("lastKnownGood maxEntries must be at least 1, but was 0");
    }
}
