package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A timeout's calls in virtual time: the timer fires when the test (or the attempt) moves the clock. */
class TimeoutPolicyTest {

    private final VirtualClock time = new VirtualClock();
    private final List<String> told = new ArrayList<>();

    private TimeoutPolicyBuilder timeout() {
        return TimeoutPolicy.builder()
                .name("catalog")
                .duration(Duration.ofSeconds(1))
                .scheduler(time)
                .ticker(time)
                .listener((name, outcome, nanos) -> told.add(name + ":" + outcome + ":" + Duration.ofNanos(nanos)));
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /** A scheduler that keeps the timer for the test to fire by hand, and whose cancel does nothing. */
    private static final class HeldTimer implements Scheduler {
        Runnable task;

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            this.task = task;
            return () -> {};
        }
    }

    @Nested
    class Synchronous {

        @Test
        void aCallThatReturnsInTimeGivesItsResultAndLeavesNoTimerBehind() {
            String result = timeout().build().call(() -> {
                time.advance(Duration.ofMillis(300));
                return "page";
            });
            assertThat(result).isEqualTo("page");
            assertThat(time.pendingTasks()).as("the timer was cancelled").isZero();
            assertThat(time.scheduledDelays()).containsExactly(Duration.ofSeconds(1));
            assertThat(told).containsExactly("catalog:SUCCESS:PT0.3S");
        }

        @Test
        void aCallThatFailsInTimeThrowsItsOwnFailure() {
            IOException down = new IOException("down");
            assertThatThrownBy(() -> timeout().build().call(() -> {
                        throw down;
                    }))
                    .isSameAs(down);
            assertThat(told).containsExactly("catalog:FAILURE:PT0S");
        }

        @Test
        void theAttemptRunsOnTheCallersThread() {
            Thread caller = Thread.currentThread();
            assertThat(timeout().build().call(Thread::currentThread)).isSameAs(caller);
            CheckedFunction<String, String, RuntimeException> exclaim = argument -> argument + "!";
            assertThat(timeout().build().call(exclaim, "same")).isEqualTo("same!");
        }

        @Test
        void aBlockedAttemptIsInterruptedAtTheDeadlineAndTheCallerIsNotLeftInterrupted() throws Exception {
            TimeoutPolicy timeout = timeout().build();
            BlockingCaller<Boolean> caller =
                    new BlockingCaller<>(() -> timeout.call(() -> new CountDownLatch(1).await(10, TimeUnit.SECONDS)));
            time.awaitScheduled(1);
            time.advance(Duration.ofSeconds(1)); // the timer runs here, on the test's thread

            BlockingCaller.Outcome<Boolean> outcome = caller.outcome();
            assertThat(outcome.failure()).isInstanceOfSatisfying(AttemptTimeoutException.class, timedOut -> {
                assertThat(timedOut).hasMessage("Timeout 'catalog' of 1s expired before the attempt finished");
                assertThat(timedOut.timeout()).isEqualTo("catalog");
                assertThat(timedOut.duration()).isEqualTo(Duration.ofSeconds(1));
                assertThat(timedOut.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
            });
            assertThat(outcome.interrupted())
                    .as("the timeout's own interrupt was taken back")
                    .isFalse();
            assertThat(told).singleElement().asString().startsWith("catalog:TIMEOUT:");
        }

        @Test
        void anAttemptThatIgnoresTheInterruptRunsToItsEndAndThenTheCallFails() {
            boolean[] interruptedInside = {false};
            assertThatThrownBy(() -> timeout().build().call(() -> {
                        time.advance(Duration.ofSeconds(2)); // the timer fires on this very thread
                        interruptedInside[0] = Thread.currentThread().isInterrupted();
                        return "late";
                    }))
                    .isInstanceOf(AttemptTimeoutException.class)
                    .satisfies(timedOut -> assertThat(timedOut.getSuppressed())
                            .as("it returned, it did not fail")
                            .isEmpty());
            assertThat(interruptedInside[0]).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(told).containsExactly("catalog:TIMEOUT:PT2S");
        }

        @Test
        void withoutInterruptTheAttemptIsLeftAloneAndTheCallFailsWhenItReturns() {
            boolean[] interruptedInside = {true};
            assertThatThrownBy(() -> timeout().interrupt(false).build().call(() -> {
                        time.advance(Duration.ofSeconds(2));
                        interruptedInside[0] = Thread.currentThread().isInterrupted();
                        return "late";
                    }))
                    .isInstanceOf(AttemptTimeoutException.class);
            assertThat(interruptedInside[0]).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }

        @Test
        void anInterruptSomeoneElseDeliveredBeforeTheDeadlineIsKept() {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> timeout().build().call(() -> {
                        time.advance(Duration.ofSeconds(2));
                        return "late";
                    }))
                    .isInstanceOf(AttemptTimeoutException.class);
            assertThat(Thread.interrupted())
                    .as("the caller's own interrupt survived")
                    .isTrue();
        }

        @Test
        void anInterruptDeliveredDuringTheAttemptBeforeTheDeadlineIsKept() {
            assertThatThrownBy(() -> timeout().build().call(() -> {
                        Thread.currentThread().interrupt(); // someone asks this thread to stop
                        time.advance(Duration.ofSeconds(2));
                        return "late";
                    }))
                    .isInstanceOf(AttemptTimeoutException.class);
            assertThat(Thread.interrupted()).isTrue();
        }

        @Test
        void aTimerThatFiresAfterTheAttemptReturnedInterruptsNobody() {
            HeldTimer timer = new HeldTimer();
            TimeoutPolicy timeout =
                    TimeoutPolicy.builder().scheduler(timer).ticker(time).build();
            assertThat(timeout.call(() -> "in time")).isEqualTo("in time");

            timer.task.run(); // fires late, on this thread, which has moved on

            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }

        @Test
        void anAttemptThatOverranALateTimerFailsAllTheSameWithoutBeingInterrupted() {
            HeldTimer timer = new HeldTimer(); // never fires by itself
            TimeoutPolicy timeout =
                    TimeoutPolicy.builder().scheduler(timer).ticker(time).build();
            assertThatThrownBy(() -> timeout.call(() -> {
                        time.advance(Duration.ofMillis(1500));
                        return "late";
                    }))
                    .isInstanceOf(AttemptTimeoutException.class)
                    .hasMessageContaining("'default' of 1s");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }

        @Test
        void runTakesARunnable() {
            int[] ran = {0};
            timeout().build().run(() -> ran[0]++);
            assertThat(ran[0]).isEqualTo(1);
        }

        @Test
        void aListenerThatThrowsChangesNothing() {
            TimeoutPolicy timeout = timeout()
                    .listener((name, outcome, nanos) -> {
                        throw new IllegalStateException("broken listener");
                    })
                    .build();
            assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
            assertThat(told).containsExactly("catalog:SUCCESS:PT0S");
        }
    }

    @Nested
    class Asynchronous {

        @Test
        void aStageThatCompletesInTimeCompletesTheFuture() {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = timeout().build().callAsync(() -> attempt);
            time.advance(Duration.ofMillis(400));
            attempt.complete("page");
            assertThat(result).isCompletedWithValue("page");
            assertThat(time.pendingTasks()).isZero();
            assertThat(told).containsExactly("catalog:SUCCESS:PT0.4S");
        }

        @Test
        void aStageAlreadyCompleteInTimeIsTheAnswerItselfAndArmsNoTimer() {
            CompletableFuture<String> attempt = CompletableFuture.completedFuture("page");
            CompletableFuture<String> result = timeout().build().callAsync(() -> attempt);
            assertThat(result).isSameAs(attempt).isCompletedWithValue("page");
            assertThat(time.scheduledDelays()).as("nothing left to time").isEmpty();
            assertThat(told).containsExactly("catalog:SUCCESS:PT0S");
        }

        @Test
        void aStageAlreadyFailedIsUnwrappedAsAPendingOneWouldBe() {
            IOException down = new IOException("down");
            CompletableFuture<String> result =
                    timeout().build().callAsync(() -> CompletableFuture.failedFuture(new CompletionException(down)));
            assertThat(result.handle((value, failure) -> failure).join()).isSameAs(down);
            assertThat(time.scheduledDelays()).isEmpty();
            assertThat(told).containsExactly("catalog:FAILURE:PT0S");
        }

        @Test
        void aStageThatFailsInTimeFailsTheFutureWithItsOwnFailure() {
            IOException down = new IOException("down");
            CompletableFuture<String> result = timeout()
                    .build()
                    .callAsync(() -> CompletableFuture.supplyAsync(
                            () -> {
                                throw new java.io.UncheckedIOException(down);
                            },
                            Runnable::run));
            assertThat(result).isCompletedExceptionally();
            assertThat(result.handle((value, failure) -> failure).join())
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasCause(down);
            assertThat(told).containsExactly("catalog:FAILURE:PT0S");
        }

        @Test
        void atTheDeadlineTheFutureFailsAndTheAttemptIsCancelledWithoutAnyThreadWaiting() {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = timeout().build().callAsync(() -> attempt);
            time.advance(Duration.ofMillis(999));
            assertThat(result).isNotDone();

            time.advance(Duration.ofMillis(1));

            assertThat(result.handle((value, failure) -> failure).join())
                    .isInstanceOf(AttemptTimeoutException.class)
                    .hasMessage("Timeout 'catalog' of 1s expired before the attempt finished");
            assertThat(attempt).isCancelled();
            assertThat(told).containsExactly("catalog:TIMEOUT:PT1S");
            attempt.complete("too late"); // changes nothing
            assertThat(told).hasSize(1);
        }

        @Test
        void theAttemptIsCancelledBeforeTheCallFailsSoThatNobodyDownstreamSeesItStillRunning() {
            List<CompletableFuture<String>> call = new ArrayList<>();
            List<Boolean> callDoneWhenCancelled = new ArrayList<>();
            CompletableFuture<String> attempt = new CompletableFuture<>() {
                @Override
                public boolean cancel(boolean mayInterruptIfRunning) {
                    callDoneWhenCancelled.add(call.get(0).isDone());
                    return super.cancel(mayInterruptIfRunning);
                }
            };
            call.add(timeout().build().callAsync(() -> attempt));
            time.advance(Duration.ofSeconds(1));
            assertThat(attempt).isCancelled();
            assertThat(callDoneWhenCancelled)
                    .as("asked to stop (again, harmlessly, once the call is over)")
                    .containsExactly(false, true);
            assertThat(call.get(0).handle((value, failure) -> failure).join())
                    .isInstanceOf(AttemptTimeoutException.class);
        }

        @Test
        void aDeadlineThatPassesWhileTheAttemptIsBeingStartedCancelsItOnceItExists() {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = timeout().build().callAsync(() -> {
                time.advance(Duration.ofSeconds(2)); // the timer fires now, before this stage is returned
                return attempt;
            });
            assertThat(attempt).isCancelled();
            assertThat(result.handle((value, failure) -> failure).join()).isInstanceOf(AttemptTimeoutException.class);
            assertThat(told).containsExactly("catalog:TIMEOUT:PT2S");
        }

        @Test
        void cancellingTheFutureCancelsTheAttemptAndTheTimer() {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = timeout().build().callAsync(() -> attempt);
            result.cancel(true);
            assertThat(attempt).isCancelled();
            assertThat(time.pendingTasks()).isZero();
            assertThat(told).as("a cancelled call has no outcome to tell").isEmpty();
        }

        @Test
        void aSupplierThatThrowsOrReturnsNullFailsTheFuture() {
            IllegalStateException broken = new IllegalStateException("no connection");
            CompletableFuture<String> thrown = timeout().build().callAsync(() -> {
                throw broken;
            });
            assertThat(thrown.handle((value, failure) -> failure).join()).isSameAs(broken);
            CompletableFuture<String> nothing = timeout().build().callAsync(() -> null);
            assertThat(nothing.handle((value, failure) -> failure).join())
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("null CompletionStage");
        }

        @Test
        void aStageThatCompletesPastALateDeadlineStillTimesOut() {
            HeldTimer timer = new HeldTimer();
            CompletableFuture<String> attempt = new CompletableFuture<>();
            CompletableFuture<String> result = TimeoutPolicy.builder()
                    .scheduler(timer)
                    .ticker(time)
                    .build()
                    .callAsync(() -> attempt);
            time.advance(Duration.ofSeconds(3));
            attempt.complete("late");
            assertThat(result.handle((value, failure) -> failure).join()).isInstanceOf(AttemptTimeoutException.class);
        }
    }

    @Nested
    class Building {

        @Test
        void theDefaultsAreTheContractsBuiltInValues() {
            TimeoutConfig config = TimeoutPolicy.ofDefaults().config();
            assertThat(config.name()).isEqualTo("default");
            assertThat(config.duration()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.interrupt()).isTrue();
        }

        @Test
        void aDurationOfZeroOrLessIsRefusedByName() {
            assertThatThrownBy(() -> TimeoutPolicy.builder().duration(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("duration must be a duration of more than zero, but was 0s");
            assertThatThrownBy(() -> TimeoutPolicy.builder().duration(Duration.ofMillis(-5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("duration must be a duration of more than zero");
            assertThatThrownBy(() -> TimeoutPolicy.builder().duration(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("duration must not be null");
        }

        @Test
        void eachOptionIsSetOnce() {
            assertThatThrownBy(() -> TimeoutPolicy.builder().interrupt(false).interrupt(true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("interrupt was already set (to false); set each option once");
            assertThatThrownBy(() -> TimeoutPolicy.builder().name("a").name("b"))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> TimeoutPolicy.builder().name(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("name must not be blank");
            assertThatThrownBy(() -> TimeoutPolicy.builder().scheduler(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("scheduler must not be null");
        }
    }
}
