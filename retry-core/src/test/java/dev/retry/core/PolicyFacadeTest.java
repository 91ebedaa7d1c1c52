package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.FileNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every policy and the pipeline offer the same four ways to make a call, and tell their listeners
 * the same way: one that throws keeps neither the call nor the other listeners from going on.
 */
class PolicyFacadeTest {

    private final VirtualClock time = new VirtualClock();
    private final List<String> heard = new ArrayList<>();

    private Map<String, Policy> everyPolicy() {
        return Map.of(
                "retry",
                        RetryPolicy.builder()
                                .maxAttempts(1)
                                .ticker(time)
                                .sleeper(time)
                                .scheduler(time)
                                .listener(new RetryListener() {
                                    @Override
                                    public void onSuccess(RetryEvent event) {
                                        throw new IllegalStateException("a broken listener");
                                    }
                                })
                                .listener(new RetryListener() {
                                    @Override
                                    public void onSuccess(RetryEvent event) {
                                        heard.add("retry");
                                    }
                                })
                                .build(),
                "circuit breaker",
                        CircuitBreakerPolicy.builder()
                                .ticker(time)
                                .listener(new CircuitBreakerListener() {
                                    @Override
                                    public void onCallRecorded(
                                            String breaker, Outcome outcome, boolean slow, long nanos) {
                                        throw new IllegalStateException("a broken listener");
                                    }
                                })
                                .listener(new CircuitBreakerListener() {
                                    @Override
                                    public void onCallRecorded(
                                            String breaker, Outcome outcome, boolean slow, long nanos) {
                                        heard.add("circuit breaker");
                                    }
                                })
                                .build(),
                "bulkhead",
                        BulkheadPolicy.builder()
                                .scheduler(time)
                                .listener(new BulkheadListener() {
                                    @Override
                                    public void onCallPermitted(String bulkhead) {
                                        throw new IllegalStateException("a broken listener");
                                    }
                                })
                                .listener(new BulkheadListener() {
                                    @Override
                                    public void onCallPermitted(String bulkhead) {
                                        heard.add("bulkhead");
                                    }
                                })
                                .build(),
                "timeout",
                        TimeoutPolicy.builder()
                                .ticker(time)
                                .scheduler(time)
                                .listener((name, outcome, nanos) -> {
                                    throw new IllegalStateException("a broken listener");
                                })
                                .listener((name, outcome, nanos) -> heard.add("timeout"))
                                .build(),
                "hedge",
                        HedgePolicy.builder()
                                .maxHedges(0)
                                .ticker(time)
                                .scheduler(time)
                                .executor(Runnable::run)
                                .build(),
                "fallback",
                        FallbackPolicy.builder()
                                .on(FileNotFoundException.class, (failure, argument) -> {
                                    throw failure;
                                })
                                .build(),
                "pipeline", Pipeline.builder().build());
    }

    @Test
    void everyPolicyAndThePipelineRunARunnableAndPassItsCheckedFailureOnAsItIs() {
        everyPolicy().forEach((name, policy) -> {
            List<String> ran = new ArrayList<>();
            try {
                policy.run(() -> ran.add(name));
            } catch (RuntimeException unexpected) {
                throw new AssertionError(name, unexpected);
            }
            assertThat(ran).as(name).containsExactly(name);
            FileNotFoundException missing = new FileNotFoundException("config.yml");
            assertThatThrownBy(() -> policy.run(() -> {
                        throw missing;
                    }))
                    .as(name)
                    .isSameAs(missing);
        });
    }

    @Test
    void everyPolicyAndThePipelineOfferTheSameFourWaysToCall() throws Exception {
        for (Map.Entry<String, Policy> entry : everyPolicy().entrySet()) {
            Policy policy = entry.getValue();
            assertThat(policy.call(() -> "supplied")).as(entry.getKey()).isEqualTo("supplied");
            assertThat(policy.call(String::length, "four")).as(entry.getKey()).isEqualTo(4);
            CompletableFuture<String> later = policy.callAsync(() -> CompletableFuture.completedFuture("later"));
            time.advance(Duration.ZERO);
            assertThat(later).as(entry.getKey()).isCompletedWithValue("later");
        }
    }

    @Test
    void aListenerThatThrowsKeepsNeitherTheCallNorTheNextListenerFromGoingOn() {
        everyPolicy()
                .forEach((name, policy) ->
                        assertThat(policy.call(() -> "ok")).as(name).isEqualTo("ok"));
        assertThat(heard).containsExactlyInAnyOrder("retry", "circuit breaker", "bulkhead", "timeout");

        List<String> fallbacks = new ArrayList<>();
        FallbackPolicy fallback = FallbackPolicy.builder()
                .on(IllegalStateException.class, (failure, argument) -> "answer")
                .listener((name, failure, lastKnownGood) -> {
                    throw new IllegalStateException("a broken listener");
                })
                .listener((name, failure, lastKnownGood) -> fallbacks.add(failure.getMessage()))
                .build();
        CheckedSupplier<String, IllegalStateException> down = () -> {
            throw new IllegalStateException("down");
        };
        assertThat(fallback.call(down)).isEqualTo("answer");
        assertThat(fallbacks).containsExactly("down");
    }
}
