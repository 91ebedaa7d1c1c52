package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What a retry policy measures and spends across its lifetime: the elapsed time its events report
 * and its maximum duration judge (also after a configuration change while running), the budget as
 * asynchronous calls draw on it, and how interrupts end a call.
 */
class RetryTimingAndBudgetTest {

    private final VirtualClock time = new VirtualClock();
    private final RecordingListener listener = new RecordingListener();

    private RetryPolicyBuilder policy() {
        return RetryPolicy.builder()
                .name("inventory")
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .delay(Duration.ofMillis(100));
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Nested
    class ElapsedTime {

        @Test
        void anEventAfterAReconfigurationReportsTheTimeTheCallTook() throws Exception {
            RetryPolicy retry = policy().maxAttempts(2).listener(listener).build();
            retry.reconfigure(RetryPolicy.builder(retry.config()).maxAttempts(3).buildConfig());

            ScriptedCall<String> call =
                    ScriptedCall.<String>of(time, new IOException("down"), "ok").eachTaking(Duration.ofMillis(50));
            assertThat(retry.call(call)).isEqualTo("ok");

            // 50 ms, the 100 ms backoff, 50 ms: what the call took on the policy's clock.
            assertThat(listener.log).containsExactly("retry:1", "success:2");
            assertThat(listener.events.get(1).elapsed()).isEqualTo(Duration.ofMillis(200));
        }

        @Test
        void aMaximumDurationSetWhileRunningJudgesTheTimeTheCallHasTakenNotTheClocksReading() throws Exception {
            RetryPolicy retry = policy().maxAttempts(5).build(); // no listener: nothing else times calls
            retry.reconfigure(RetryPolicy.builder(retry.config())
                    .maxDuration(Duration.ofSeconds(10))
                    .buildConfig());

            ScriptedCall<String> call = ScriptedCall.of(time, new IOException("down"), new IOException("down"), "ok");
            assertThat(retry.call(call))
                    .as("a second of backoff is well within 10 s")
                    .isEqualTo("ok");
            assertThat(call.calls).isEqualTo(3);
        }

        @Test
        void anAsynchronousCallsEventsReportTheTimeItTook() {
            RetryPolicy retry = policy().maxAttempts(3).listener(listener).build();
            List<CompletableFuture<String>> attempts = new ArrayList<>();
            CompletableFuture<String> result = retry.callAsync(() -> {
                CompletableFuture<String> attempt = new CompletableFuture<>();
                attempts.add(attempt);
                return attempt;
            });
            time.advance(Duration.ofMillis(30));
            attempts.get(0).completeExceptionally(new IOException("down"));
            time.advance(Duration.ofMillis(100)); // the backoff: the second attempt starts
            time.advance(Duration.ofMillis(20));
            attempts.get(1).complete("ok");

            assertThat(result).isCompletedWithValue("ok");
            assertThat(listener.events).hasSize(2);
            assertThat(listener.events.get(0).elapsed()).isEqualTo(Duration.ofMillis(30));
            assertThat(listener.events.get(1).elapsed()).isEqualTo(Duration.ofMillis(150));
        }
    }

    @Nested
    class AsynchronousBudget {

        private final Supplier<CompletionStage<String>> down =
                () -> CompletableFuture.failedFuture(new IOException("down"));

        @Test
        void everyAsynchronousCallEarnsItsShareOfRetries() {
            RetryPolicy retry =
                    policy().maxAttempts(2).budget(0.5, 0).listener(listener).build();

            retry.callAsync(down);
            assertThat(listener.log)
                    .as("one call earns half a retry: none")
                    .containsExactly("budget:1:BUDGET_EXHAUSTED", "failure:1:BUDGET_EXHAUSTED");

            listener.log.clear();
            retry.callAsync(down);
            time.runAll();
            assertThat(listener.log)
                    .as("two calls earn one")
                    .containsExactly("retry:1", "failure:2:ATTEMPTS_EXHAUSTED");
            assertThat(retry.budget().orElseThrow().callsInWindow()).isEqualTo(2);
            assertThat(retry.budget().orElseThrow().retriesInWindow()).isEqualTo(1);
        }
    }

    @Nested
    class Interrupts {

        @Test
        void anInterruptDuringTheBackoffAfterARejectedResultReturnsThatResultAndKeepsTheFlag() throws Exception {
            RetryPolicy retry = policy().maxAttempts(5)
                    .retryIfResult("pending"::equals)
                    .listener(listener)
                    .build();
            time.interruptSleep(1);
            ScriptedCall<String> call = ScriptedCall.of(time, "pending", "ready");

            assertThat(retry.call(call)).isEqualTo("pending");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(call.calls).isEqualTo(1);
            assertThat(listener.log).containsExactly("retry:1", "failure:1:INTERRUPTED");
        }

        @Test
        void anAsynchronousCallRetriesWhateverTheFlagOfTheThreadThatMadeIt() {
            RetryPolicy retry = policy().maxAttempts(3).build();
            int[] attempts = {0};
            Thread.currentThread().interrupt(); // an interrupt meant for the caller's own blocking work
            CompletableFuture<String> result = retry.callAsync(() -> {
                attempts[0]++;
                return attempts[0] < 3
                        ? CompletableFuture.failedFuture(new IOException("down"))
                        : CompletableFuture.completedFuture("ok");
            });
            time.runAll();

            assertThat(result).isCompletedWithValue("ok");
            assertThat(attempts[0]).isEqualTo(3);
            assertThat(Thread.currentThread().isInterrupted())
                    .as("left for the caller")
                    .isTrue();
        }
    }

    @Nested
    class AdaptationAcrossAChange {

        /** Five calls to a dead service, then half a second later a sixth: the limit falls two levels. */
        private void driveDown(RetryPolicy retry) {
            for (int call = 0; call < 6; call++) {
                if (call == 5) {
                    time.advance(Duration.ofMillis(AdaptiveRetry.STEP_MILLIS));
                }
                try {
                    retry.call(() -> {
                        throw new IOException("down");
                    });
                } catch (IOException expected) {
                    // every attempt of a dead service fails
                }
            }
        }

        @Test
        void whatAdaptationLearntSurvivesAChangeThatKeepsItsBoundsAndStartsAfreshWithNewOnes() {
            RetryPolicy retry = RetryPolicy.builder()
                    .name("inventory")
                    .ticker(time)
                    .sleeper(time)
                    .delay(Duration.ZERO)
                    .maxAttempts(11)
                    .adaptive(1)
                    .build();
            driveDown(retry);
            assertThat(retry.currentMaxAttempts()).isEqualTo(9);

            retry.reconfigure(RetryPolicy.builder(retry.config())
                    .maxDelay(Duration.ofSeconds(5))
                    .buildConfig());
            assertThat(retry.currentMaxAttempts())
                    .as("the same bounds: the limit it learnt")
                    .isEqualTo(9);

            retry.reconfigure(RetryPolicy.builder(retry.config()).maxAttempts(6).buildConfig());
            assertThat(retry.currentMaxAttempts())
                    .as("new bounds: it starts again from maxAttempts")
                    .isEqualTo(6);
        }
    }
}
