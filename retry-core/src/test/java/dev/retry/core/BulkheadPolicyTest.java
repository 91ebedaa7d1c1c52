package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A bulkhead's permits, refusals and waits. Permits are held by asynchronous calls whose stages
 * the test completes, so that one thread can fill the bulkhead; waits end in virtual time.
 */
class BulkheadPolicyTest {

    private final VirtualClock time = new VirtualClock();
    private final List<String> told = Collections.synchronizedList(new ArrayList<>());

    private BulkheadPolicyBuilder bulkhead(int max) {
        return BulkheadPolicy.builder()
                .name("inventory")
                .maxConcurrentCalls(max)
                .scheduler(time)
                .listener(new BulkheadListener() {
                    @Override
                    public void onCallPermitted(String name) {
                        told.add("permitted");
                    }

                    @Override
                    public void onCallRejected(String name) {
                        told.add("rejected");
                    }
                });
    }

    /** Takes a permit and keeps it until the returned stage is completed. */
    private static CompletableFuture<String> hold(BulkheadPolicy bulkhead) {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        assertThat(bulkhead.callAsync(() -> attempt)).isNotDone();
        return attempt;
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Nested
    class Synchronous {

        @Test
        void aCallHoldsAPermitWhileItRunsAndReturnsItAfter() throws Exception {
            BulkheadPolicy bulkhead = bulkhead(2).build();
            int[] inside = {-1};
            String result = bulkhead.call(() -> {
                inside[0] = bulkhead.currentConcurrentCalls();
                return "stock";
            });
            assertThat(result).isEqualTo("stock");
            assertThat(inside[0]).isEqualTo(1);
            assertThat(bulkhead.currentConcurrentCalls()).isZero();
            assertThat(bulkhead.availablePermits()).isEqualTo(2);
            assertThat(told).containsExactly("permitted");
        }

        @Test
        void aCallBeyondTheLimitIsRefusedAtOnceAndNotMade() {
            BulkheadPolicy bulkhead = bulkhead(2).build();
            hold(bulkhead);
            hold(bulkhead);
            int[] calls = {0};
            assertThatThrownBy(() -> bulkhead.call(() -> calls[0]++))
                    .isInstanceOfSatisfying(BulkheadFullException.class, full -> {
                        assertThat(full)
                                .hasMessage("Bulkhead 'inventory' is full at its limit of 2 concurrent calls")
                                .hasNoCause();
                        assertThat(full.bulkhead()).isEqualTo("inventory");
                        assertThat(full.maxConcurrentCalls()).isEqualTo(2);
                        assertThat(full.maxWait()).isEqualTo(Duration.ZERO);
                    });
            assertThat(calls[0]).isZero();
            assertThat(told).containsExactly("permitted", "permitted", "rejected");
            assertThat(time.scheduledDelays()).as("no wait, so no timer").isEmpty();
        }

        @Test
        void thePermitComesBackWhateverTheCallThrows() {
            BulkheadPolicy bulkhead = bulkhead(1).build();
            assertThatThrownBy(() -> bulkhead.call(() -> {
                        throw new IOException("down");
                    }))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> bulkhead.run(() -> {
                        throw new AssertionError("bug");
                    }))
                    .isInstanceOf(AssertionError.class);
            CheckedFunction<String, Integer, RuntimeException> length = String::length;
            assertThat(bulkhead.call(length, "sku-1")).isEqualTo(5);
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void aWaitingCallStartsWhenAPermitIsReturned() throws Exception {
            BulkheadPolicy bulkhead =
                    bulkhead(1).maxWait(Duration.ofMillis(100)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            BlockingCaller<String> caller = new BlockingCaller<>(() -> bulkhead.call(() -> "after waiting"));
            time.awaitScheduled(1); // its wait's timer: it is in line
            assertThat(caller.returned()).isFalse();

            holder.complete("done");

            assertThat(caller.outcome().value()).isEqualTo("after waiting");
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
            assertThat(time.pendingTasks()).as("the wait's timer was cancelled").isZero();
            assertThat(told).containsExactly("permitted", "permitted");
        }

        @Test
        void aWaitThatRunsOutIsRefused() throws Exception {
            BulkheadPolicy bulkhead =
                    bulkhead(1).maxWait(Duration.ofMillis(100)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            BlockingCaller<String> caller = new BlockingCaller<>(() -> bulkhead.call(() -> "never"));
            time.awaitScheduled(1);
            time.advance(Duration.ofMillis(99));
            assertThat(caller.returned()).isFalse();

            time.advance(Duration.ofMillis(1));

            assertThat(caller.outcome().failure())
                    .isInstanceOf(BulkheadFullException.class)
                    .hasMessage("Bulkhead 'inventory' is full at its limit of 1 concurrent call;"
                            + " no permit was freed within 100ms");
            holder.complete("done");
            assertThat(bulkhead.availablePermits())
                    .as("the line is empty: the permit is free")
                    .isEqualTo(1);
            assertThat(told).containsExactly("permitted", "rejected");
        }

        @Test
        void anInterruptStopsTheWaitKeepsTheFlagAndIsTheRefusalsCause() throws Exception {
            BulkheadPolicy bulkhead = bulkhead(1).maxWait(Duration.ofSeconds(5)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            BlockingCaller<String> caller = new BlockingCaller<>(() -> bulkhead.call(() -> "never"));
            time.awaitScheduled(1);

            caller.thread.interrupt();

            BlockingCaller.Outcome<String> outcome = caller.outcome();
            assertThat(outcome.failure())
                    .isInstanceOf(BulkheadFullException.class)
                    .hasMessageEndingWith("; the wait for a permit was interrupted")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(outcome.interrupted()).isTrue();
            assertThat(time.pendingTasks()).isZero();
            holder.complete("done");
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void anInterruptedThreadDoesNotStartWaiting() {
            BulkheadPolicy bulkhead = bulkhead(1).maxWait(Duration.ofSeconds(5)).build();
            hold(bulkhead);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> bulkhead.call(() -> "never"))
                    .isInstanceOf(BulkheadFullException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(time.scheduledDelays()).isEmpty();
        }

        @Test
        void aFreePermitIsTakenEvenByAnInterruptedThreadWhoseCallThenSeesTheFlag() {
            BulkheadPolicy bulkhead = bulkhead(1).maxWait(Duration.ofSeconds(5)).build();
            Thread.currentThread().interrupt();
            assertThat(bulkhead.call(() -> Thread.currentThread().isInterrupted()))
                    .isTrue();
        }
    }

    @Nested
    class Asynchronous {

        @Test
        void aStageHoldsItsPermitUntilItCompletes() {
            BulkheadPolicy bulkhead = bulkhead(2).build();
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = bulkhead.callAsync(() -> attempt);
            assertThat(bulkhead.currentConcurrentCalls()).isEqualTo(1);
            attempt.complete("stock");
            assertThat(result).isCompletedWithValue("stock");
            assertThat(bulkhead.currentConcurrentCalls()).isZero();
        }

        @Test
        void thePermitComesBackWhenTheStageFailsOrCannotBeMade() {
            BulkheadPolicy bulkhead = bulkhead(1).build();
            IOException down = new IOException("down");
            assertThat(bulkhead.callAsync(() -> CompletableFuture.<String>failedFuture(down))
                            .handle((value, failure) -> failure)
                            .join())
                    .isSameAs(down);
            assertThat(bulkhead.<String>callAsync(() -> {
                        throw new IllegalStateException("no connection");
                    }))
                    .isCompletedExceptionally();
            assertThat(bulkhead.<String>callAsync(() -> null)
                            .handle((value, failure) -> failure)
                            .join())
                    .isInstanceOf(NullPointerException.class);
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void cancellingTheFutureCancelsTheStageWhichReturnsThePermit() {
            BulkheadPolicy bulkhead = bulkhead(1).build();
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = bulkhead.callAsync(() -> attempt);
            result.cancel(true);
            assertThat(attempt).isCancelled();
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void aStageThatCannotBeCancelledKeepsItsPermitUntilItCompletes() {
            BulkheadPolicy bulkhead = bulkhead(1).build();
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = bulkhead.callAsync(attempt::minimalCompletionStage);
            result.cancel(true);
            assertThat(bulkhead.availablePermits()).as("its work still runs").isZero();
            attempt.complete("late");
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void aCallBeyondTheLimitFailsAtOnceWithoutWaiting() {
            BulkheadPolicy bulkhead = bulkhead(1).build();
            hold(bulkhead);
            CompletableFuture<String> refused = bulkhead.callAsync(() -> CompletableFuture.completedFuture("never"));
            assertThat(refused.handle((value, failure) -> failure).join()).isInstanceOf(BulkheadFullException.class);
        }

        @Test
        void aWaitingCallBlocksNobodyAndStartsOnTheSchedulerWhenAPermitIsReturned() {
            BulkheadPolicy bulkhead =
                    bulkhead(1).maxWait(Duration.ofMillis(100)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            int[] calls = {0};
            CompletableFuture<String> waiting = bulkhead.callAsync(() -> {
                calls[0]++;
                return CompletableFuture.completedFuture("after waiting");
            });
            assertThat(waiting).isNotDone();

            holder.complete("done");
            assertThat(calls[0])
                    .as("started by the scheduler, not by the releasing thread")
                    .isZero();
            assertThat(bulkhead.currentConcurrentCalls())
                    .as("but its permit is already its own")
                    .isEqualTo(1);
            time.runDueTasks();

            assertThat(waiting).isCompletedWithValue("after waiting");
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
            assertThat(time.pendingTasks()).isZero();
        }

        @Test
        void aWaitThatRunsOutFailsTheFuture() {
            BulkheadPolicy bulkhead =
                    bulkhead(1).maxWait(Duration.ofMillis(100)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            CompletableFuture<String> waiting = bulkhead.callAsync(() -> CompletableFuture.completedFuture("never"));
            time.advance(Duration.ofMillis(100));
            assertThat(waiting.handle((value, failure) -> failure).join())
                    .isInstanceOf(BulkheadFullException.class)
                    .hasMessageEndingWith("no permit was freed within 100ms");
            holder.complete("done");
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void aCallCancelledWhileItWaitsLeavesTheLineAndIsNeverMade() {
            BulkheadPolicy bulkhead = bulkhead(1).maxWait(Duration.ofSeconds(1)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            int[] calls = {0};
            CompletableFuture<String> waiting = bulkhead.callAsync(() -> {
                calls[0]++;
                return CompletableFuture.completedFuture("never");
            });
            waiting.cancel(true);
            holder.complete("done");
            time.advance(Duration.ofSeconds(2));
            assertThat(calls[0]).isZero();
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
            assertThat(time.pendingTasks()).isZero();
        }

        @Test
        void aCallCancelledAfterItsPermitWasGrantedBeforeItStartedGivesThePermitBack() {
            BulkheadPolicy bulkhead = bulkhead(1).maxWait(Duration.ofSeconds(1)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            int[] calls = {0};
            CompletableFuture<String> waiting = bulkhead.callAsync(() -> {
                calls[0]++;
                return CompletableFuture.completedFuture("never");
            });
            holder.complete("done"); // granted; its start waits for the scheduler
            waiting.cancel(true);
            time.runDueTasks();
            assertThat(calls[0]).isZero();
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void callsAreServedInTheOrderTheyArrivedAndNewcomersDoNotOvertakeTheLine() {
            BulkheadPolicy bulkhead = bulkhead(1).maxWait(Duration.ofSeconds(1)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            List<String> started = new ArrayList<>();
            List<CompletableFuture<String>> attempts = new ArrayList<>();
            for (String name : List.of("first", "second")) {
                bulkhead.callAsync(() -> {
                    started.add(name);
                    CompletableFuture<String> attempt = new CompletableFuture<>();
                    attempts.add(attempt);
                    return attempt;
                });
            }
            holder.complete("done");
            bulkhead.callAsync(
                    () -> { // arrives while "first" is granted but not yet started
                        started.add("newcomer");
                        return CompletableFuture.completedFuture("newcomer");
                    });
            time.runDueTasks();
            assertThat(started).containsExactly("first");
            attempts.get(0).complete("first done");
            time.runDueTasks();
            attempts.get(1).complete("second done");
            time.runDueTasks();
            assertThat(started).containsExactly("first", "second", "newcomer");
            assertThat(bulkhead.availablePermits()).isEqualTo(1);
        }

        @Test
        void aCallStartedOnTheSchedulerSeesTheRetryContextOfTheCallThatWaited() {
            BulkheadPolicy bulkhead = bulkhead(1).maxWait(Duration.ofSeconds(1)).build();
            CompletableFuture<String> holder = hold(bulkhead);
            RetryContext context = RetryContext.forCurrentThread();
            context.attempt = 2; // as if inside a retry's second attempt
            CompletableFuture<String> waiting;
            String keyBefore;
            try {
                waiting = bulkhead.callAsync(() -> CompletableFuture.completedFuture(RetryContext.current()
                                .attempt() + ":" + RetryContext.current().idempotencyKey()));
                keyBefore = context.idempotencyKey();
            } finally {
                context.attempt = 0;
                context.key = null;
            }
            holder.complete("done");
            time.runDueTasks();
            assertThat(waiting).isCompletedWithValue("2:" + keyBefore);
            assertThat(RetryContext.isActive()).isFalse();
        }
    }

    @Nested
    class Building {

        @Test
        void theDefaultsAreTheContractsBuiltInValues() {
            BulkheadConfig config = BulkheadPolicy.ofDefaults().config();
            assertThat(config.name()).isEqualTo("default");
            assertThat(config.maxConcurrentCalls()).isEqualTo(25);
            assertThat(config.maxWait()).isEqualTo(Duration.ZERO);
            assertThat(BulkheadPolicy.ofDefaults().availablePermits()).isEqualTo(25);
        }

        @Test
        void badValuesAreRefusedByName() {
            assertThatThrownBy(() -> BulkheadPolicy.builder().maxConcurrentCalls(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxConcurrentCalls must be a whole number of at least 1, but was 0");
            assertThatThrownBy(() -> BulkheadPolicy.builder().maxWait(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxWait must be a duration of zero or more, but was -1ms");
            assertThatThrownBy(() -> BulkheadPolicy.builder().maxWait(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("maxWait must not be null");
            assertThatThrownBy(() -> BulkheadPolicy.builder().listener(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("listener must not be null");
        }

        @Test
        void eachOptionIsSetOnce() {
            assertThatThrownBy(
                            () -> BulkheadPolicy.builder().maxConcurrentCalls(3).maxConcurrentCalls(4))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("maxConcurrentCalls was already set (to 3); set each option once");
            assertThatThrownBy(() ->
                            BulkheadPolicy.builder().maxWait(Duration.ZERO).maxWait(Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
