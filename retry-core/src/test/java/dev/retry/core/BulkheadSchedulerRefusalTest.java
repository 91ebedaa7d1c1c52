package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A bulkhead whose scheduler refuses work (an application's executor shut down while calls still
 * arrive): the call that needed it fails with the refusal, and no permit is lost to it or kept by a
 * call that left. Also the timers a wait leaves behind, and a wait with no practical end.
 */
class BulkheadSchedulerRefusalTest {

    private final VirtualClock time = new VirtualClock();

    /** The virtual clock until {@link #shutDown()}, then a refusal for every task, as a stopped executor. */
    private final class StoppableScheduler implements Scheduler {

        private volatile boolean stopped;

        void shutDown() {
            stopped = true;
        }

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            if (stopped) {
                throw new RejectedExecutionException("the application's scheduler is shut down");
            }
            return time.schedule(task, delayNanos);
        }
    }

    private final StoppableScheduler scheduler = new StoppableScheduler();

    private BulkheadPolicy bulkhead(Duration maxWait) {
        return BulkheadPolicy.builder()
                .name("inventory")
                .maxConcurrentCalls(1)
                .maxWait(maxWait)
                .scheduler(scheduler)
                .build();
    }

    /** Takes the one permit and keeps it until the returned stage is completed. */
    private static CompletableFuture<String> hold(BulkheadPolicy bulkhead) {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        assertThat(bulkhead.callAsync(() -> attempt)).isNotDone();
        return attempt;
    }

    @Test
    void aCallerThatCannotArmItsWaitFailsWithTheRefusalAndLeavesTheLine() {
        BulkheadPolicy bulkhead = bulkhead(Duration.ofSeconds(1));
        CompletableFuture<String> holder = hold(bulkhead);
        scheduler.shutDown();

        assertThatThrownBy(() -> bulkhead.call(() -> "never"))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("the application's scheduler is shut down");

        holder.complete("done");
        assertThat(bulkhead.availablePermits())
                .as("the permit is free, not handed to the caller that left")
                .isEqualTo(1);
        assertThat(bulkhead.call(() -> "next")).isEqualTo("next");
    }

    @Test
    void anAsynchronousCallThatCannotArmItsWaitFailsWithTheRefusalAndLeavesTheLine() {
        BulkheadPolicy bulkhead = bulkhead(Duration.ofSeconds(1));
        CompletableFuture<String> holder = hold(bulkhead);
        scheduler.shutDown();

        CompletableFuture<String> refused = bulkhead.callAsync(() -> CompletableFuture.completedFuture("never"));
        assertThat(refused.handle((value, failure) -> failure).join())
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("the application's scheduler is shut down");

        holder.complete("done");
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aWaitingCallGrantedAfterTheSchedulerStoppedFailsWithTheRefusalAndPassesItsPermitOn() {
        BulkheadPolicy bulkhead = bulkhead(Duration.ofSeconds(1));
        CompletableFuture<String> holder = hold(bulkhead);
        int[] calls = {0};
        CompletableFuture<String> waiting = bulkhead.callAsync(() -> {
            calls[0]++;
            return CompletableFuture.completedFuture("never");
        });
        assertThat(waiting).isNotDone();
        scheduler.shutDown(); // its wait is armed; its start cannot be handed over any more

        holder.complete("done");

        assertThat(waiting.handle((value, failure) -> failure).join()).isInstanceOf(RejectedExecutionException.class);
        assertThat(calls[0]).isZero();
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aCallCancelledWhileItWaitsLeavesNoTimerBehind() {
        BulkheadPolicy bulkhead = bulkhead(Duration.ofMinutes(10));
        CompletableFuture<String> holder = hold(bulkhead);
        CompletableFuture<String> waiting = bulkhead.callAsync(() -> CompletableFuture.completedFuture("never"));
        assertThat(time.pendingTasks()).as("its wait's limit").isEqualTo(1);

        waiting.cancel(true);

        assertThat(time.pendingTasks())
                .as("ten minutes of a timer for a call nobody waits for")
                .isZero();
        holder.complete("done");
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aWaitLongerThanTheClockCanCountWaitsForAPermitInsteadOfRefusingAtOnce() {
        BulkheadPolicy bulkhead = bulkhead(ChronoUnit.FOREVER.getDuration());
        CompletableFuture<String> holder = hold(bulkhead);
        CompletableFuture<String> waiting = bulkhead.callAsync(() -> CompletableFuture.completedFuture("after"));
        assertThat(waiting).as("waiting, not refused").isNotDone();

        time.advance(Duration.ofDays(365 * 100));
        assertThat(waiting).as("a century later, still waiting").isNotDone();

        holder.complete("done");
        time.runDueTasks();
        assertThat(waiting).isCompletedWithValue("after");
    }
}
