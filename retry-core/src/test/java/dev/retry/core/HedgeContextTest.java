package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every hedged attempt sees in its {@link RetryContext}: the enclosing retry's attempt number
 * and one idempotency key shared by every hedge and every retry of the logical call.
 */
class HedgeContextTest {

    private final VirtualClock time = new VirtualClock();
    private final ManualExecutor executor = new ManualExecutor();

    private HedgePolicy hedge() {
        return HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(executor)
                .delay(Duration.ofMillis(100))
                .build();
    }

    /** The primary attempt's task, once the caller has armed its hedge's timer, the n-th ever. */
    private Runnable primary(int timers) throws InterruptedException {
        Runnable primary = executor.next();
        time.awaitScheduled(timers);
        return primary;
    }

    /** Remembers the context of each invocation; invocations listed in {@code failing} throw. */
    private static final class ContextSpy implements CheckedSupplier<String, IOException> {

        final List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
        final List<String> keys = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger invocations = new AtomicInteger();
        private final List<Integer> failing;

        ContextSpy(Integer... failing) {
            this.failing = List.of(failing);
        }

        @Override
        public String get() throws IOException {
            int invocation = invocations.incrementAndGet();
            attempts.add(RetryContext.current().attempt());
            keys.add(RetryContext.current().idempotencyKey());
            if (failing.contains(invocation)) {
                throw new IOException("invocation " + invocation);
            }
            return "ok";
        }
    }

    @Test
    void everyAttemptOfACallMadeAloneSeesAttemptOneAndTheSameKeyAndNothingLeaksOntoAnyThread() throws Exception {
        HedgePolicy hedge = hedge();
        ContextSpy spy = new ContextSpy(1);
        BlockingCaller<Boolean> caller = new BlockingCaller<>(() -> {
            hedge.call(spy);
            return RetryContext.isActive();
        });
        Runnable primary = primary(1);
        time.advance(Duration.ofMillis(100));
        Runnable hedgeTask = executor.next();

        primary.run();
        assertThat(RetryContext.isActive())
                .as("the executor's thread gets its own context back")
                .isFalse();
        hedgeTask.run();
        assertThat(RetryContext.isActive()).isFalse();

        assertThat(caller.outcome().value())
                .as("the caller's context was left as it was")
                .isFalse();
        assertThat(spy.attempts).containsExactly(1, 1);
        assertThat(spy.keys).hasSize(2).containsOnly(spy.keys.get(0));
    }

    @Test
    void twoCallsMadeAloneOnOneThreadHaveDifferentKeys() {
        HedgePolicy hedge = hedge();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            hedge.callAsync(() -> {
                keys.add(RetryContext.current().idempotencyKey());
                return CompletableFuture.completedFuture("ok");
            });
        }
        assertThat(keys).doesNotHaveDuplicates().hasSize(2);
        assertThat(RetryContext.isActive()).isFalse();
    }

    @Test
    void hedgesInsideARetrySeeTheRetrysAttemptAndOneKeyAcrossEveryRetryAndHedge() throws Exception {
        HedgePolicy hedge = hedge();
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(2)
                .delay(Duration.ZERO)
                .jitter(Jitter.NONE)
                .ticker(time)
                .sleeper(time)
                .build();
        ContextSpy spy = new ContextSpy(1, 2);
        BlockingCaller<String> caller = new BlockingCaller<>(() -> retry.call(() -> hedge.call(spy)));

        // Retry attempt 1: the primary and its hedge both fail.
        Runnable primary = primary(1);
        time.advance(Duration.ofMillis(100));
        Runnable hedgeTask = executor.next();
        primary.run();
        hedgeTask.run();
        // Retry attempt 2: a slow primary, and a hedge that succeeds.
        primary(2);
        time.advance(Duration.ofMillis(100));
        executor.next().run();

        assertThat(caller.outcome().value()).isEqualTo("ok");
        assertThat(spy.attempts).containsExactly(1, 1, 2);
        assertThat(spy.keys).hasSize(3).containsOnly(spy.keys.get(0));
    }

    @Test
    void asynchronousHedgesInsideAnAsynchronousRetryShareTheKeyToo() {
        HedgePolicy hedge = hedge();
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(2)
                .delay(Duration.ofMillis(50))
                .jitter(Jitter.NONE)
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .build();
        List<Integer> attempts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<CompletableFuture<String>> stages = new ArrayList<>();
        Supplier<CompletionStage<String>> service = () -> {
            attempts.add(RetryContext.current().attempt());
            keys.add(RetryContext.current().idempotencyKey());
            CompletableFuture<String> stage = new CompletableFuture<>();
            stages.add(stage);
            return stage;
        };

        CompletableFuture<String> result = retry.callAsync(() -> hedge.callAsync(service));
        time.advance(Duration.ofMillis(100)); // the hedge starts on the scheduler's thread
        stages.get(0).completeExceptionally(new IOException("primary down"));
        stages.get(1).completeExceptionally(new IOException("hedge down"));
        time.advance(Duration.ofMillis(50)); // the retry
        time.advance(Duration.ofMillis(100)); // its hedge
        stages.get(3).complete("ok");

        assertThat(result).isCompletedWithValue("ok");
        assertThat(attempts).containsExactly(1, 1, 2, 2);
        assertThat(keys).hasSize(4).containsOnly(keys.get(0));
        assertThat(stages.get(2)).as("the losing primary of the retry").isCancelled();
        assertThat(RetryContext.isActive()).isFalse();
    }
}
