package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A synchronous hedged call decided while another thread is half-way through something of its own:
 * the caller being interrupted, a hedge being started, a timer being armed. Each moment is held open
 * by a listener or a scheduler that the test controls, so the race is taken exactly, in virtual time.
 */
class HedgeDecidedMeanwhileTest {

    private final VirtualClock time = new VirtualClock();
    private final ManualExecutor executor = new ManualExecutor();

    private HedgePolicyBuilder policy() {
        return HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(executor)
                .delay(Duration.ofMillis(100));
    }

    /** The primary attempt's task, once the caller has armed the timer of its first hedge too. */
    private Runnable primary() throws InterruptedException {
        Runnable primary = executor.next();
        time.awaitScheduled(1);
        return primary;
    }

    /**
     * The primary has won and the call is being decided (its listener is still being told) when the
     * caller is interrupted: the outcome stands, the caller waits the moment it takes and returns the
     * primary's result, with its interrupt flag still set for its own code to see.
     */
    @Test
    void anInterruptThatMeetsTheDecisionKeepsTheResultAndTheFlag() throws Exception {
        CountDownLatch beingDecided = new CountDownLatch(1);
        CountDownLatch finishDeciding = new CountDownLatch(1);
        AtomicInteger cancellations = new AtomicInteger();
        HedgeListener slowListener = new HedgeListener() {
            @Override
            public void onPrimaryWon(HedgeEvent event) {
                beingDecided.countDown();
                awaitUninterruptibly(finishDeciding);
            }

            @Override
            public void onCancelled(HedgeEvent event) {
                cancellations.incrementAndGet();
            }
        };
        HedgePolicy hedge = policy().listener(slowListener).build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(() -> "primary"));
        Runnable primary = primary();
        Thread worker = ManualExecutor.runOnNewThread(primary, "worker");
        assertThat(beingDecided.await(10, TimeUnit.SECONDS)).isTrue();

        caller.thread.interrupt();
        // The caller finds the call decided: it sets its flag aside for the wait and parks again.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> caller.returned()
                        || (!caller.thread.isInterrupted() && caller.thread.getState() == Thread.State.WAITING));
        assertThat(caller.returned())
                .as("the caller waits for the decision it met")
                .isFalse();
        finishDeciding.countDown();

        BlockingCaller.Outcome<String> outcome = caller.outcome();
        assertThat(outcome.failure())
                .as("the call was decided before the interrupt counted")
                .isNull();
        assertThat(outcome.value()).isEqualTo("primary");
        assertThat(outcome.interrupted())
                .as("the caller's interrupt flag is given back")
                .isTrue();
        assertThat(cancellations)
                .as("a decided call is never reported cancelled")
                .hasValue(0);
        worker.join(10_000);
    }

    /**
     * The hedge's timer fires and, while the hedge is being announced, the primary wins: the hedge
     * is then never handed to the executor, and the call runs only once.
     */
    @Test
    void aHedgeWhoseCallIsDecidedWhileItStartsNeverRuns() throws Exception {
        AtomicInteger invocations = new AtomicInteger();
        AtomicReference<Runnable> primaryTask = new AtomicReference<>();
        HedgeListener primaryWinsMeanwhile = new HedgeListener() {
            @Override
            public void onHedgeStarted(HedgeEvent event) {
                primaryTask.get().run();
            }
        };
        HedgePolicy hedge = policy().listener(primaryWinsMeanwhile).build();
        BlockingCaller<String> caller =
                new BlockingCaller<>(() -> hedge.call(() -> "answer " + invocations.incrementAndGet()));
        primaryTask.set(primary());

        time.advance(Duration.ofMillis(100));

        assertThat(caller.outcome().value()).isEqualTo("answer 1");
        assertThat(executor.submitted()).as("the hedge was never submitted").isEqualTo(1);
        assertThat(invocations).as("only the primary called").hasValue(1);
        assertThat(time.pendingTasks()).isZero();
    }

    /**
     * The primary wins while the caller is still arming the first hedge's timer: that timer is
     * withdrawn at once, rather than left to fire for a call long over.
     */
    @Test
    void aTimerArmedJustAsTheCallIsDecidedIsWithdrawnAtOnce() {
        AtomicInteger armed = new AtomicInteger();
        Scheduler primaryWinsWhileArming = (task, delayNanos) -> {
            if (armed.getAndIncrement() == 0) {
                runNextTask(); // the primary, submitted just before, answers now
            }
            return time.schedule(task, delayNanos);
        };
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(primaryWinsWhileArming)
                .executor(executor)
                .delay(Duration.ofMillis(100))
                .build();

        assertThat(hedge.call(() -> "fast")).isEqualTo("fast");

        assertThat(armed).as("the timer was armed").hasValue(1);
        assertThat(time.pendingTasks()).as("and withdrawn").isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(executor.submitted()).as("no hedge for a decided call").isEqualTo(1);
    }

    /** Once the last hedge allowed has started, no timer is left armed: nothing more can start. */
    @Test
    void theLastHedgeLeavesNoTimerBehind() throws Exception {
        HedgePolicy hedge = policy().maxHedges(2).build();
        BlockingCaller<String> caller = new BlockingCaller<>(() -> hedge.call(() -> "late"));
        Runnable primaryTask = primary();

        time.advance(Duration.ofMillis(100));
        assertThat(time.pendingTasks()).as("the second hedge's timer").isEqualTo(1);
        time.advance(Duration.ofMillis(100));
        assertThat(executor.submitted()).isEqualTo(3);
        assertThat(time.pendingTasks()).as("after the last hedge").isZero();

        primaryTask.run();
        assertThat(caller.outcome().value()).isEqualTo("late");
    }

    private void runNextTask() {
        try {
            executor.next().run();
        } catch (InterruptedException unexpected) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(unexpected);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (latch.await(30, TimeUnit.SECONDS)) {
                    break;
                }
                throw new IllegalStateException("never released");
            } catch (InterruptedException interrupt) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
