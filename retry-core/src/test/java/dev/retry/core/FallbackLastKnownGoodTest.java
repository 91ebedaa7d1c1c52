package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The last good results a fallback keeps: how long one stays fresh, which keys it is kept under,
 * that a key answered again and again keeps its one place, and that asynchronous calls fill it too.
 */
class FallbackLastKnownGoodTest {

    private final VirtualClock time = new VirtualClock();

    private static String failing(String sku) throws IOException {
        throw new IOException("down");
    }

    private FallbackPolicyBuilder fallback() {
        return FallbackPolicy.builder().name("stock").ticker(time).on(IOException.class, (failure, sku) -> "unknown");
    }

    @Test
    void aResultExactlyMaxAgeOldIsStillServedAndANanosecondLaterItIsNot() throws IOException {
        FallbackPolicy policy =
                fallback().lastKnownGood(10, Duration.ofMinutes(5)).build();
        policy.call(sku -> "42 left", "sku-1");

        time.advance(Duration.ofMinutes(5));
        assertThat(policy.call(FallbackLastKnownGoodTest::failing, "sku-1")).isEqualTo("42 left");
        time.advance(Duration.ofNanos(1));
        assertThat(policy.call(FallbackLastKnownGoodTest::failing, "sku-1")).isEqualTo("unknown");
    }

    @Test
    void aKeyAnsweredAgainAndAgainKeepsOnePlaceAndPushesNoOtherKeyOut() throws IOException {
        FallbackPolicy policy = fallback().lastKnownGood(2, Duration.ofHours(1)).build();
        policy.call(sku -> "a", "sku-a");
        for (int i = 0; i < 5; i++) {
            policy.call(sku -> "b" + sku.length(), "sku-b");
        }
        assertThat(policy.call(FallbackLastKnownGoodTest::failing, "sku-a")).isEqualTo("a");
        assertThat(policy.call(FallbackLastKnownGoodTest::failing, "sku-b")).isEqualTo("b5");
    }

    @Test
    void aSingleKeyIsEnoughAndNoneIsRefused() throws IOException {
        FallbackPolicy policy = fallback().lastKnownGood(1, Duration.ofHours(1)).build();
        policy.call(sku -> "a", "sku-a");
        assertThat(policy.call(FallbackLastKnownGoodTest::failing, "sku-a")).isEqualTo("a");

        assertThatThrownBy(() -> FallbackPolicy.builder().lastKnownGood(0, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lastKnownGood maxEntries must be at least 1, but was 0");
    }

    @Test
    void callsWhoseArgumentsMapToOneKeyShareTheirLastGoodResult() throws IOException {
        // Requests for one product in different letter cases are one key.
        FallbackPolicy policy = fallback()
                .lastKnownGood(10, Duration.ofHours(1))
                .keyOf(argument -> ((String) argument).toLowerCase(java.util.Locale.ROOT))
                .build();
        policy.call(sku -> "42 left of " + sku, "SKU-1");
        assertThat(policy.call(FallbackLastKnownGoodTest::failing, "sku-1")).isEqualTo("42 left of SKU-1");
        assertThat(policy.call(FallbackLastKnownGoodTest::failing, "sku-2")).isEqualTo("unknown");
    }

    @Test
    void theKeyFunctionIsSetOnce() {
        FallbackPolicyBuilder builder = FallbackPolicy.builder().keyOf(argument -> argument);
        assertThatThrownBy(() -> builder.keyOf(argument -> argument))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("keyOf was already set; set each option once");
    }

    @Test
    void anAsynchronousSuccessIsRememberedForALaterAsynchronousFailure() {
        FallbackPolicy policy =
                fallback().lastKnownGood(10, Duration.ofHours(1)).build();
        Pipeline pipeline = Pipeline.builder().fallback(policy).build();

        assertThat(pipeline.callAsync(() -> CompletableFuture.completedFuture("42 left"), "sku-1"))
                .isCompletedWithValue("42 left");
        assertThat(pipeline.<String>callAsync(() -> CompletableFuture.failedFuture(new IOException("down")), "sku-1"))
                .isCompletedWithValue("42 left");
        assertThat(pipeline.<String>callAsync(() -> CompletableFuture.failedFuture(new IOException("down")), "sku-2"))
                .isCompletedWithValue("unknown");
    }
}
