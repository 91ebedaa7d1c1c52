package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Synchronous hedged calls in virtual time: the caller waits on a thread of its own, the test moves
 * the clock and runs each attempt when it chooses, so "slow" means "not run yet".
 */
class HedgePolicyTest {

    private final VirtualClock time = new VirtualClock();
    private final ManualExecutor executor = new ManualExecutor();
    private final RecordingHedgeListener listener = new RecordingHedgeListener();

    private HedgePolicyBuilder policy() {
        return HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(executor)
                .delay(Duration.ofMillis(100))
                .listener(listener);
    }

    /** The primary attempt's task, once the caller has armed the timer of its first hedge too. */
    private Runnable primary() throws InterruptedException {
        Runnable primary = executor.next();
        time.awaitScheduled(1);
        return primary;
    }

    /** A call whose n-th invocation (in the order the test runs the attempts) does the n-th step. */
    private static CheckedSupplier<String, Exception> script(Object... steps) {
        AtomicInteger invocations = new AtomicInteger();
        return () -> {
            Object step = steps[Math.min(invocations.getAndIncrement(), steps.length - 1)];
            if (step instanceof Exception exception) {
                throw exception;
            }
            return (String) step;
        };
    }

    @Test
    void aPrimaryThatSucceedsBeforeTheDelayWinsAndNoHedgeStarts() throws Exception {
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(() -> "fast"));
        Runnable primary = primary();
        assertThat(time.pendingTasks()).as("the hedge's timer is armed").isEqualTo(1);

        time.advance(Duration.ofMillis(99));
        primary.run();

        assertThat(caller.outcome().value()).isEqualTo("fast");
        assertThat(time.pendingTasks()).as("the hedge's timer was withdrawn").isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(executor.submitted()).isEqualTo(1);
        assertThat(listener.log()).containsExactly("primary-won:1:1");
    }

    @Test
    void aSlowPrimaryIsHedgedAtTheDelayAndTheFirstSuccessWins() throws Exception {
        AtomicInteger invocations = new AtomicInteger();
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller =
                new BlockingCaller<>(() -> hedge.call(() -> "answer " + invocations.incrementAndGet()));
        Runnable primary = primary();

        time.advance(Duration.ofMillis(99));
        assertThat(executor.pending()).as("no hedge before the delay").isZero();
        time.advance(Duration.ofMillis(1));
        assertThat(executor.pending()).as("the hedge starts at the delay").isEqualTo(1);
        assertThat(listener.log()).containsExactly("started:2");

        executor.next().run();

        assertThat(caller.outcome().value()).isEqualTo("answer 1");
        assertThat(listener.log()).containsExactly("started:2", "hedge-won:2:2");
        assertThat(listener.events.get(1).elapsed()).isEqualTo(Duration.ofMillis(100));
        primary.run();
        assertThat(invocations)
                .as("the primary was cancelled before it ever called")
                .hasValue(1);
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void theLosingAttemptIsInterruptedWhileItRunsAndItsThreadIsLeftUninterrupted() throws Exception {
        CountDownLatch primaryRunning = new CountDownLatch(1);
        AtomicReference<Throwable> primarySaw = new AtomicReference<>();
        AtomicBoolean workerInterruptedAfterwards = new AtomicBoolean(true);
        AtomicInteger invocations = new AtomicInteger();
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(() -> {
            if (invocations.incrementAndGet() == 1) {
                primaryRunning.countDown();
                try {
                    new CountDownLatch(1).await(); // a call that would never answer
                } catch (InterruptedException interrupt) {
                    primarySaw.set(interrupt);
                    throw interrupt;
                }
            }
            return "hedge";
        }));
        Runnable primaryTask = primary();
        Thread worker = ManualExecutor.runOnNewThread(
                () -> {
                    primaryTask.run();
                    workerInterruptedAfterwards.set(Thread.currentThread().isInterrupted());
                },
                "worker");
        assertThat(primaryRunning.await(10, TimeUnit.SECONDS)).isTrue();

        time.advance(Duration.ofMillis(100));
        executor.next().run();

        assertThat(caller.outcome().value()).isEqualTo("hedge");
        worker.join(10_000);
        assertThat(primarySaw.get()).as("the loser was interrupted").isInstanceOf(InterruptedException.class);
        assertThat(workerInterruptedAfterwards)
                .as("the interrupt did not outlive the attempt")
                .isFalse();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the winner's thread is never interrupted")
                .isFalse();
        assertThat(listener.log()).containsExactly("started:2", "hedge-won:2:2");
    }

    @Test
    void aLoserThatIgnoresItsInterruptStillLeavesItsThreadUninterrupted() throws Exception {
        CountDownLatch primaryRunning = new CountDownLatch(1);
        AtomicBoolean primarySawInterrupt = new AtomicBoolean();
        AtomicBoolean workerInterruptedAfterwards = new AtomicBoolean(true);
        AtomicInteger invocations = new AtomicInteger();
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(() -> {
            if (invocations.incrementAndGet() == 1) {
                primaryRunning.countDown();
                while (!Thread.currentThread().isInterrupted()) {
                    LockSupport.park(); // returns on interrupt and leaves the flag set
                }
                primarySawInterrupt.set(true);
                return "too late"; // returns normally, the interrupt left unconsumed
            }
            return "hedge";
        }));
        Runnable primaryTask = primary();
        Thread worker = ManualExecutor.runOnNewThread(
                () -> {
                    primaryTask.run();
                    workerInterruptedAfterwards.set(Thread.currentThread().isInterrupted());
                },
                "worker");
        assertThat(primaryRunning.await(10, TimeUnit.SECONDS)).isTrue();
        time.advance(Duration.ofMillis(100));
        executor.next().run();

        assertThat(caller.outcome().value()).isEqualTo("hedge");
        worker.join(10_000);
        assertThat(primarySawInterrupt).isTrue();
        assertThat(workerInterruptedAfterwards)
                .as("the attempt cleared the interrupt it was sent")
                .isFalse();
    }

    @Test
    void aFailedPrimaryDoesNotWinWhileTheHedgeStillRuns() throws Exception {
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller =
                new BlockingCaller<>(() -> hedge.call(script(new IOException("primary down"), "hedge")));
        Runnable primary = primary();
        time.advance(Duration.ofMillis(100));
        Runnable hedgeTask = executor.next();

        primary.run();
        assertThat(caller.returned()).as("the hedge may still succeed").isFalse();
        hedgeTask.run();

        assertThat(caller.outcome().value()).isEqualTo("hedge");
        assertThat(listener.log()).containsExactly("started:2", "hedge-won:2:2");
    }

    @Test
    void aPrimaryThatFailsBeforeTheDelayFailsTheCallAtOnceWithoutAHedge() throws Exception {
        IOException down = new IOException("down");
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(script(down)));
        executor.next().run();

        assertThat(caller.outcome().failure()).isSameAs(down);
        assertThat(time.pendingTasks()).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(executor.submitted())
                .as("a failure is the retry policy's business, not a hedge's")
                .isEqualTo(1);
        assertThat(listener.log()).containsExactly("failure:1");
    }

    @Test
    void hedgesStartOneDelayApartUpToMaxHedges() throws Exception {
        HedgePolicy hedge = policy().maxHedges(2).build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(() -> "late"));
        Runnable primary = primary();
        time.advance(Duration.ofMillis(100));
        assertThat(executor.submitted()).isEqualTo(2);
        time.advance(Duration.ofMillis(99));
        assertThat(executor.submitted()).isEqualTo(2);
        time.advance(Duration.ofMillis(1));
        assertThat(executor.submitted()).isEqualTo(3);
        time.advance(Duration.ofSeconds(1));
        assertThat(executor.submitted()).as("no more than maxHedges").isEqualTo(3);
        assertThat(time.pendingTasks()).isZero();

        primary.run();
        assertThat(caller.outcome().value()).isEqualTo("late");
        assertThat(listener.log()).containsExactly("started:2", "started:3", "primary-won:3:1");
    }

    @Test
    void whenEveryAttemptFailsTheLastFailureIsThrownWithTheOthersSuppressedInOrder() throws Exception {
        IOException first = new IOException("hedge 1 down");
        IOException second = new IOException("primary down");
        IOException last = new IOException("hedge 2 down");
        HedgePolicy hedge = policy().maxHedges(2).build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(script(first, second, last)));
        Runnable primary = primary();
        time.advance(Duration.ofMillis(100));
        Runnable hedge1 = executor.next();
        time.advance(Duration.ofMillis(100));
        Runnable hedge2 = executor.next();

        hedge1.run();
        primary.run();
        assertThat(caller.returned()).isFalse();
        hedge2.run();

        assertThat(caller.outcome().failure())
                .as("the checked exception itself, never wrapped")
                .isSameAs(last);
        assertThat(last.getSuppressed()).containsExactly(first, second);
        assertThat(listener.log()).containsExactly("started:2", "started:3", "failure:3");
        assertThat(listener.events.get(2).failure()).isSameAs(last);
    }

    @Test
    void oneExceptionThrownByEveryAttemptIsNeverSuppressedByItself() throws Exception {
        IOException cached = new IOException("the same instance every time");
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(script(cached)));
        Runnable primary = primary();
        time.advance(Duration.ofMillis(100));
        Runnable hedgeTask = executor.next();
        primary.run();
        hedgeTask.run();

        assertThat(caller.outcome().failure()).isSameAs(cached);
        assertThat(cached.getSuppressed()).isEmpty();
    }

    @Test
    void interruptingTheWaitingCallerCancelsEveryAttemptKeepsTheFlagAndThrowsCancellation() throws Exception {
        CountDownLatch primaryRunning = new CountDownLatch(1);
        AtomicReference<Throwable> primarySaw = new AtomicReference<>();
        IOException hedgeDown = new IOException("hedge down");
        AtomicInteger invocations = new AtomicInteger();
        HedgePolicy hedge = policy().name("search").maxHedges(2).build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(() -> {
            if (invocations.incrementAndGet() == 1) {
                primaryRunning.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException interrupt) {
                    primarySaw.set(interrupt);
                    throw interrupt;
                }
            }
            throw hedgeDown;
        }));
        Runnable primaryTask = primary();
        Thread worker = ManualExecutor.runOnNewThread(primaryTask, "worker");
        assertThat(primaryRunning.await(10, TimeUnit.SECONDS)).isTrue();
        time.advance(Duration.ofMillis(100));
        executor.next().run(); // the first hedge fails; the primary still runs
        assertThat(time.pendingTasks()).as("the second hedge's timer").isEqualTo(1);

        caller.thread.interrupt();

        BlockingCaller.Outcome<String> outcome = caller.outcome();
        assertThat(outcome.failure())
                .isInstanceOf(CancellationException.class)
                .hasMessage("the call of hedge policy 'search' was interrupted while it waited for its attempts,"
                        + " which were cancelled")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(outcome.failure().getSuppressed()).containsExactly(hedgeDown);
        assertThat(outcome.interrupted())
                .as("the caller's interrupt flag stays set")
                .isTrue();
        worker.join(10_000);
        assertThat(primarySaw.get()).isInstanceOf(InterruptedException.class);
        assertThat(time.pendingTasks())
                .as("no hedge starts after the caller gave up")
                .isZero();
        assertThat(listener.log()).containsExactly("started:2", "cancelled:2");
    }

    @Test
    void aCallerInterruptedBeforeTheCallStartsNoAttempt() throws Exception {
        HedgePolicy hedge = policy().build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> {
            Thread.currentThread().interrupt();
            return hedge.call(() -> "never");
        });
        BlockingCaller.Outcome<String> outcome = caller.outcome();
        assertThat(outcome.failure()).isInstanceOf(CancellationException.class);
        assertThat(outcome.interrupted()).isTrue();
        assertThat(executor.submitted()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void anExecutorThatRefusesTheAttemptFailsItWithTheRefusal() {
        RejectedExecutionException full = new RejectedExecutionException("queue full");
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(task -> {
                    throw full;
                })
                .build();
        Throwable thrown = null;
        try {
            hedge.call(() -> "never");
        } catch (RejectedExecutionException refused) {
            thrown = refused;
        }
        assertThat(thrown).isSameAs(full);
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void withoutHedgesTheCallRunsOnTheCallersThreadAsItsOwnFirstAttempt() throws Exception {
        HedgePolicy hedge = policy().maxHedges(0).build();
        String caller = Thread.currentThread().getName();
        String seen = hedge.call(() -> Thread.currentThread().getName() + " attempt "
                + RetryContext.current().attempt());
        assertThat(seen).isEqualTo(caller + " attempt 1");
        assertThat(RetryContext.isActive()).isFalse();
        assertThat(executor.submitted()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void theRealExecutorAndSchedulerRaceTheAttemptsAndInterruptTheLoser() throws Exception {
        // Delay zero: both attempts start at once, so no real time is waited for.
        HedgePolicy hedge = HedgePolicy.builder().delay(Duration.ZERO).build();
        CountDownLatch loserInterrupted = new CountDownLatch(1);
        AtomicInteger invocations = new AtomicInteger();
        String result = hedge.call(() -> {
            if (invocations.incrementAndGet() == 1) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException interrupt) {
                    loserInterrupted.countDown();
                    throw interrupt;
                }
            }
            return Thread.currentThread().getName();
        });
        assertThat(result).startsWith("retry-hedge-");
        assertThat(loserInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
