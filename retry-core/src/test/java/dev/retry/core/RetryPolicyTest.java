package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Synchronous calls through a retry policy, in virtual time. */
class RetryPolicyTest {

    private final VirtualClock time = new VirtualClock();
    private final RecordingListener listener = new RecordingListener();

    /** A policy on virtual time with no jitter, so that delays are exact. */
    private RetryPolicyBuilder policy() {
        return RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .listener(listener);
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Nested
    class Attempts {

        @Test
        void aFirstSuccessIsReturnedWithoutRetryOrWait() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, "ok");
            assertThat(policy().build().call(call)).isEqualTo("ok");
            assertThat(call.calls).isEqualTo(1);
            assertThat(time.sleeps()).isEmpty();
            assertThat(listener.log).containsExactly("success:1");
        }

        @Test
        void failuresAreRetriedWithTheBackoffDelaysUntilSuccess() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, new IOException("1"), new IOException("2"), "ok");
            String result = policy().maxAttempts(5)
                    .delay(Duration.ofMillis(100))
                    .build()
                    .call(call);
            assertThat(result).isEqualTo("ok");
            assertThat(call.calls).isEqualTo(3);
            assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(listener.log).containsExactly("retry:1", "retry:2", "success:3");
            assertThat(listener.events.get(1).delay()).isEqualTo(Duration.ofMillis(200));
        }

        @Test
        void afterTheLastAttemptTheLastFailureIsThrownWithEarlierOnesSuppressed() {
            IOException first = new IOException("first");
            IOException second = new IOException("second");
            IOException last = new IOException("last");
            ScriptedCall<String> call = ScriptedCall.of(time, first, second, last);
            assertThatThrownBy(() -> policy().maxAttempts(3).build().call(call)).isSameAs(last);
            assertThat(last.getSuppressed()).containsExactly(first, second);
            assertThat(call.calls).isEqualTo(3);
            assertThat(listener.log).containsExactly("retry:1", "retry:2", "failure:3:ATTEMPTS_EXHAUSTED");
        }

        @Test
        void oneExceptionThrownAgainAndAgainIsNeverSuppressedByItselfNorAttachedTwice() {
            IOException cached = new IOException("cached");
            IOException other = new IOException("other");
            ScriptedCall<String> call = ScriptedCall.of(time, cached, other, other, cached);
            assertThatThrownBy(() -> policy().maxAttempts(4).build().call(call)).isSameAs(cached);
            assertThat(cached.getSuppressed()).containsExactly(other);
        }

        @Test
        void aCheckedExceptionPassesThroughUnwrappedAndIsDeclaredByTheCall() {
            FileNotFoundException missing = new FileNotFoundException("config.yml");
            RetryPolicy retry = policy().maxAttempts(2).build();
            try {
                retry.call(() -> {
                    throw missing;
                });
            } catch (FileNotFoundException expected) { // a compile error if call() widened the type
                assertThat(expected).isSameAs(missing);
                return;
            }
            throw new AssertionError("the call should have thrown");
        }

        @Test
        void oneAttemptMeansNoRetry() {
            ScriptedCall<String> call = ScriptedCall.of(time, new IOException("down"));
            assertThatThrownBy(() -> policy().maxAttempts(1).build().call(call)).hasMessage("down");
            assertThat(call.calls).isEqualTo(1);
        }

        @Test
        void runRetriesACallThatReturnsNothing() throws IOException {
            int[] calls = {0};
            policy().build().run(() -> {
                if (++calls[0] < 3) {
                    throw new IOException("not yet");
                }
            });
            assertThat(calls[0]).isEqualTo(3);
        }

        @Test
        void aFunctionWithAnArgumentIsRetriedWithThatArgument() throws IOException {
            ScriptedCall<String> call = ScriptedCall.of(time, new IOException("1"), "ok");
            String result = policy().build().call(argument -> argument + ":" + sneakyGet(call), "order-7");
            assertThat(result).isEqualTo("order-7:ok");
        }

        private String sneakyGet(ScriptedCall<String> call) throws IOException {
            try {
                return call.get();
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class Classification {

        @Test
        void errorsAreNotRetriedByDefault() {
            ScriptedCall<String> call = ScriptedCall.of(time, new AssertionError("bug"), "ok");
            assertThatThrownBy(() -> policy().build().call(call)).isInstanceOf(AssertionError.class);
            assertThat(call.calls).isEqualTo(1);
            assertThat(listener.log).containsExactly("failure:1:NOT_RETRYABLE");
        }

        @Test
        void aFullBulkheadIsNeverRetriedEvenWhenRetryOnNamesIt() {
            BulkheadFullException full = new BulkheadFullException("pool", 4, Duration.ZERO, null);
            ScriptedCall<String> call = ScriptedCall.of(time, full, "ok");
            assertThatThrownBy(() -> policy().retryOn(BulkheadFullException.class)
                            .build()
                            .call(call))
                    .isSameAs(full);
            assertThat(call.calls).isEqualTo(1);
            assertThat(time.sleeps()).isEmpty();
            assertThat(listener.log).containsExactly("failure:1:ABORTED");
        }

        @Test
        void anAttemptTimeoutIsRetriedLikeAnyOtherFailure() throws Exception {
            ScriptedCall<String> call =
                    ScriptedCall.of(time, new AttemptTimeoutException("catalog", Duration.ofSeconds(1)), "ok");
            assertThat(policy().build().call(call)).isEqualTo("ok");
            assertThat(call.calls).isEqualTo(2);
        }

        @Test
        void anAttemptTimeoutIsNotRetriedWhenAbortOnNamesIt() {
            ScriptedCall<String> call =
                    ScriptedCall.of(time, new AttemptTimeoutException("catalog", Duration.ofSeconds(1)), "ok");
            assertThatThrownBy(() -> policy().abortOn(AttemptTimeoutException.class)
                            .build()
                            .call(call))
                    .isInstanceOf(AttemptTimeoutException.class);
            assertThat(call.calls).isEqualTo(1);
            assertThat(listener.log).containsExactly("failure:1:ABORTED");
        }

        @Test
        void retryOnMatchesSubclasses() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, new ConnectException("refused"), "ok");
            assertThat(policy().retryOn(IOException.class).build().call(call)).isEqualTo("ok");
        }

        @Test
        void retryOnSearchesTheCauseChain() throws Exception {
            Exception wrapped = new IllegalStateException(
                    "client failed", new UncheckedIOException(new ConnectException("refused")));
            ScriptedCall<String> call = ScriptedCall.of(time, wrapped, "ok");
            assertThat(policy().retryOn(ConnectException.class).build().call(call))
                    .isEqualTo("ok");
        }

        @Test
        void aFailureThatMatchesNoRetryRuleIsThrownAtOnce() {
            ScriptedCall<String> call = ScriptedCall.of(time, new IllegalArgumentException("bad id"), "ok");
            assertThatThrownBy(() -> policy().retryOn(IOException.class).build().call(call))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(call.calls).isEqualTo(1);
            assertThat(listener.log).containsExactly("failure:1:NOT_RETRYABLE");
        }

        @Test
        void abortOnWinsOverRetryOnEvenDeepInTheCauseChain() {
            Exception failure =
                    new IOException("io", new IllegalStateException("corrupt", new SecurityException("denied")));
            ScriptedCall<String> call = ScriptedCall.of(time, failure, "ok");
            assertThatThrownBy(() -> policy().retryOn(IOException.class)
                            .abortOn(SecurityException.class)
                            .build()
                            .call(call))
                    .isSameAs(failure);
            assertThat(call.calls).isEqualTo(1);
            assertThat(listener.log).containsExactly("failure:1:ABORTED");
        }

        @Test
        void aRetryPredicateAddsToTheRetryTypes() throws Exception {
            RetryPolicy retry = policy().maxAttempts(5)
                    .retryOn(ConnectException.class)
                    .retryIf(failure ->
                            failure.getMessage() != null && failure.getMessage().contains("transient"))
                    .build();
            ScriptedCall<String> call = ScriptedCall.of(
                    time, new ConnectException("x"), new IllegalStateException("transient glitch"), "ok");
            assertThat(retry.call(call)).isEqualTo("ok");
            ScriptedCall<String> permanent = ScriptedCall.of(time, new IllegalStateException("permanent"), "ok");
            assertThatThrownBy(() -> retry.call(permanent)).hasMessage("permanent");
        }

        @Test
        void anAbortPredicateStopsRetrying() {
            ScriptedCall<String> call = ScriptedCall.of(time, new IOException("quota exceeded"), "ok");
            assertThatThrownBy(() -> policy().abortIf(
                                    failure -> failure.getMessage().startsWith("quota"))
                            .build()
                            .call(call))
                    .hasMessage("quota exceeded");
            assertThat(call.calls).isEqualTo(1);
        }

        @Test
        void anInterruptedExceptionFromTheCallIsNeverRetried() {
            ScriptedCall<String> call = ScriptedCall.of(time, new InterruptedException("stop"), "ok");
            assertThatThrownBy(() -> policy().build().call(call)).isInstanceOf(InterruptedException.class);
            assertThat(call.calls).isEqualTo(1);
        }

        @Test
        void aCauseChainThatLoopsDoesNotHangTheClassifier() {
            IOException a = new IOException("a");
            IllegalStateException b = new IllegalStateException("b", a);
            a.initCause(b);
            ScriptedCall<String> call = ScriptedCall.of(time, b, "ok");
            assertThatThrownBy(() ->
                            policy().retryOn(TimeoutException.class).build().call(call))
                    .isSameAs(b);
        }
    }

    @Nested
    class Results {

        @Test
        void aRejectedResultIsRetriedUntilAnAcceptedOne() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, "pending", "pending", "done");
            String result = policy().maxAttempts(5)
                    .retryIfResult("pending"::equals)
                    .build()
                    .call(call);
            assertThat(result).isEqualTo("done");
            assertThat(call.calls).isEqualTo(3);
        }

        @Test
        void whenAttemptsRunOutTheLastResultIsReturned() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, "pending");
            String result = policy().maxAttempts(3)
                    .retryIfResult("pending"::equals)
                    .build()
                    .call(call);
            assertThat(result).isEqualTo("pending");
            assertThat(call.calls).isEqualTo(3);
            assertThat(listener.log).containsExactly("retry:1", "retry:2", "failure:3:ATTEMPTS_EXHAUSTED");
            assertThat(listener.events.get(2).result()).isEqualTo("pending");
        }

        @Test
        void failuresAndRejectedResultsMixAndTheLastOutcomeWins() {
            IOException last = new IOException("last");
            ScriptedCall<String> call = ScriptedCall.of(time, "pending", new IOException("first"), last);
            assertThatThrownBy(() ->
                            policy().retryIfResult("pending"::equals).build().call(call))
                    .isSameAs(last);
            assertThat(last.getSuppressed()).extracting(Throwable::getMessage).containsExactly("first");
        }
    }

    @Nested
    class RequestedDelays {

        /** What an HTTP client exception carrying a Retry-After header looks like to the core. */
        static final class ServiceUnavailable extends IOException implements RetryDelayHint {

            private static final long serialVersionUID = 1L;

            private final Duration retryAfter;

            ServiceUnavailable(Duration retryAfter) {
                super("503 Service Unavailable");
                this.retryAfter = retryAfter;
            }

            @Override
            public Duration requestedRetryDelay() {
                return retryAfter;
            }
        }

        @Test
        void aRequestedDelayReplacesTheComputedOneWithoutJitter() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, new ServiceUnavailable(Duration.ofSeconds(3)), "ok");
            RetryPolicy retry = RetryPolicy.builder()
                    .ticker(time)
                    .sleeper(time)
                    .jitter(Jitter.FULL)
                    .random(() -> 0.0)
                    .delay(Duration.ofMillis(100))
                    .build();
            assertThat(retry.call(call)).isEqualTo("ok");
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
        }

        @Test
        void anExtractorReadsRequestedDelaysFromFailuresThatCarryNoHint() throws Exception {
            ScriptedCall<String> call =
                    ScriptedCall.of(time, new IOException("retry-after=7"), new IOException("plain"), "ok");
            RetryPolicy retry = policy().delay(Duration.ofMillis(100))
                    .requestedDelay(failure -> failure.getMessage().startsWith("retry-after=")
                            ? Duration.ofSeconds(
                                    Long.parseLong(failure.getMessage().substring(12)))
                            : null)
                    .build();
            assertThat(retry.call(call)).isEqualTo("ok");
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7), Duration.ofMillis(200));
        }

        @Test
        void aRequestedDelayIsFoundInTheCauseChain() throws Exception {
            Exception wrapped = new IllegalStateException(new ServiceUnavailable(Duration.ofSeconds(2)));
            ScriptedCall<String> call = ScriptedCall.of(time, wrapped, "ok");
            assertThat(policy().build().call(call)).isEqualTo("ok");
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2));
        }

        @Test
        void aRequestedDelayIsCappedAtMaxDelay() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, new ServiceUnavailable(Duration.ofMinutes(5)), "ok");
            assertThat(policy().maxDelay(Duration.ofSeconds(30)).build().call(call))
                    .isEqualTo("ok");
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
        }

        @Test
        void aRequestedDelayInThePastMeansRetryNow() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, new ServiceUnavailable(Duration.ofSeconds(-4)), "ok");
            assertThat(policy().build().call(call)).isEqualTo("ok");
            assertThat(call.calls).isEqualTo(2);
            assertThat(time.sleeps()).isEmpty();
        }

        @Test
        void aRequestedDelayThatWouldCrossMaxDurationEndsTheCall() {
            ServiceUnavailable busy = new ServiceUnavailable(Duration.ofSeconds(20));
            ScriptedCall<String> call = ScriptedCall.of(time, busy, "ok");
            assertThatThrownBy(() -> policy().maxDelay(Duration.ofMinutes(1))
                            .maxDuration(Duration.ofSeconds(15))
                            .build()
                            .call(call))
                    .isSameAs(busy);
            assertThat(call.calls).isEqualTo(1);
            assertThat(listener.log).containsExactly("failure:1:MAX_DURATION");
        }
    }

    @Nested
    class MaxDuration {

        @Test
        void noRetryStartsOnceItsDelayWouldCrossTheLimit() {
            // Each attempt takes 1 s; delays 1 s, 2 s, 4 s. Retry 1 starts at 2 s, retry 2 at 5 s;
            // retry 3 would start at 6 s + 4 s = 10 s, past the 9 s limit.
            ScriptedCall<String> call =
                    ScriptedCall.<String>of(time, new IOException("slow")).eachTaking(Duration.ofSeconds(1));
            RetryPolicy retry = policy().maxAttempts(10)
                    .delay(Duration.ofSeconds(1))
                    .maxDuration(Duration.ofSeconds(9))
                    .build();
            assertThatThrownBy(() -> retry.call(call)).hasMessage("slow");
            assertThat(call.calls).isEqualTo(3);
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(listener.log).last().isEqualTo("failure:3:MAX_DURATION");
        }

        @Test
        void aRetryThatStartsExactlyAtTheLimitIsAllowed() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, new IOException("1"), "ok");
            RetryPolicy retry = policy().delay(Duration.ofSeconds(5))
                    .maxDuration(Duration.ofSeconds(5))
                    .build();
            assertThat(retry.call(call)).isEqualTo("ok");
        }

        @Test
        void zeroMeansNoLimit() {
            ScriptedCall<String> call =
                    ScriptedCall.<String>of(time, new IOException("slow")).eachTaking(Duration.ofHours(1));
            assertThatThrownBy(() -> policy().maxAttempts(6).build().call(call)).hasMessage("slow");
            assertThat(call.calls).isEqualTo(6);
        }
    }

    @Nested
    class Interrupts {

        @Test
        void anInterruptDuringTheBackoffStopsAtOnceKeepsTheFlagAndThrowsTheLastFailure() {
            time.interruptSleep(2);
            IOException first = new IOException("first");
            IOException second = new IOException("second");
            ScriptedCall<String> call = ScriptedCall.of(time, first, second, "never reached");
            assertThatThrownBy(() -> policy().maxAttempts(5).build().call(call)).isSameAs(second);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(call.calls).isEqualTo(2);
            assertThat(second.getSuppressed()).containsExactly(first);
            assertThat(listener.log).containsExactly("retry:1", "retry:2", "failure:2:INTERRUPTED");
        }

        @Test
        void aThreadInterruptedBeforeTheRetryDoesNotRetry() {
            IOException failure = new IOException("down");
            ScriptedCall<String> call = ScriptedCall.of(time, failure, "ok");
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> policy().build().call(call)).isSameAs(failure);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(call.calls).isEqualTo(1);
            assertThat(time.sleeps()).isEmpty();
        }

        @Test
        void theRealSleeperWakesAtOnceForAnInterruptedThread() {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> Sleeper.system().sleep(Duration.ofHours(1).toNanos()))
                    .isInstanceOf(InterruptedException.class);
        }
    }

    @Nested
    class Context {

        @Test
        void eachAttemptSeesItsNumberAndOneIdempotencyKey() throws Exception {
            ScriptedCall<String> call = ScriptedCall.of(time, new IOException("1"), new IOException("2"), "ok");
            policy().build().call(call);
            assertThat(call.attemptsSeen).containsExactly(1, 2, 3);
            assertThat(call.keysSeen).hasSize(3).containsOnly(call.keysSeen.get(0));
            assertThat(java.util.UUID.fromString(call.keysSeen.get(0)).version())
                    .isEqualTo(4);
        }

        @Test
        void everyLogicalCallGetsItsOwnKey() throws Exception {
            RetryPolicy retry = policy().build();
            ScriptedCall<String> first = ScriptedCall.of(time, "a");
            ScriptedCall<String> second = ScriptedCall.of(time, "b");
            retry.call(first);
            retry.call(second);
            assertThat(first.keysSeen.get(0)).isNotEqualTo(second.keysSeen.get(0));
        }

        @Test
        void outsideAnyCallThereIsNoContext() {
            assertThat(RetryContext.isActive()).isFalse();
            assertThatThrownBy(RetryContext::current)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("outside any call");
        }

        @Test
        void aNestedCallHasItsOwnContextAndTheOuterOneComesBack() throws Exception {
            RetryPolicy retry = policy().build();
            List<String> seen = new java.util.ArrayList<>();
            int[] outerCalls = {0};
            retry.call(() -> {
                outerCalls[0]++;
                String outerKey = RetryContext.current().idempotencyKey();
                retry.call(() -> {
                    seen.add("inner attempt " + RetryContext.current().attempt());
                    seen.add("inner key differs "
                            + !RetryContext.current().idempotencyKey().equals(outerKey));
                    return null;
                });
                seen.add("outer attempt " + RetryContext.current().attempt());
                seen.add("outer key kept "
                        + RetryContext.current().idempotencyKey().equals(outerKey));
                if (outerCalls[0] < 2) {
                    throw new IOException("retry the outer call");
                }
                return null;
            });
            assertThat(seen)
                    .containsExactly(
                            "inner attempt 1",
                            "inner key differs true",
                            "outer attempt 1",
                            "outer key kept true",
                            "inner attempt 1",
                            "inner key differs true",
                            "outer attempt 2",
                            "outer key kept true");
            assertThat(RetryContext.isActive()).isFalse();
        }
    }

    @Nested
    class Listeners {

        @Test
        void eventsCarryThePolicyNameTheFailureAndTheElapsedTime() {
            IOException failure = new IOException("down");
            ScriptedCall<String> call = ScriptedCall.<String>of(time, failure).eachTaking(Duration.ofMillis(50));
            RetryPolicy retry = policy().name("inventory")
                    .maxAttempts(2)
                    .delay(Duration.ofMillis(100))
                    .build();
            assertThatThrownBy(() -> retry.call(call)).isSameAs(failure);
            RetryEvent retryEvent = listener.events.get(0);
            assertThat(retryEvent.policy()).isEqualTo("inventory");
            assertThat(retryEvent.failure()).isSameAs(failure);
            assertThat(retryEvent.elapsed()).isEqualTo(Duration.ofMillis(50));
            assertThat(retryEvent.delay()).isEqualTo(Duration.ofMillis(100));
            assertThat(listener.events.get(1).elapsed()).isEqualTo(Duration.ofMillis(200));
        }

        @Test
        void aListenerThatThrowsChangesNothingAndTheOthersStillHear() throws Exception {
            RecordingListener second = new RecordingListener();
            RetryPolicy retry = RetryPolicy.builder()
                    .ticker(time)
                    .sleeper(time)
                    .listener(new RetryListener() {
                        @Override
                        public void onRetry(RetryEvent event) {
                            throw new IllegalStateException("broken metrics");
                        }

                        @Override
                        public void onSuccess(RetryEvent event) {
                            throw new IllegalStateException("broken metrics");
                        }
                    })
                    .listener(second)
                    .build();
            assertThat(retry.call(ScriptedCall.<String>of(time, new IOException("1"), "ok")))
                    .isEqualTo("ok");
            assertThat(second.log).containsExactly("retry:1", "success:2");
        }
    }
}
