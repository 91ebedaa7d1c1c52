package dev.retry.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clock every scenario runs on: events in time order, ties in the order scheduled, no waiting. */
class VirtualClockTests {

    @Test
    void runsEventsInTimeOrderAndTiesInTheOrderScheduled() {
        VirtualClock clock = new VirtualClock();
        List<String> seen = new ArrayList<>();
        clock.schedule(() -> seen.add("c@30 " + clock.elapsed()), 30);
        clock.schedule(() -> seen.add("a@10 " + clock.elapsed()), 10);
        clock.schedule(() -> seen.add("b1@20 " + clock.elapsed()), 20);
        clock.schedule(() -> seen.add("b2@20 " + clock.elapsed()), 20);

        clock.run();

        assertThat(seen).containsExactly("a@10 10", "b1@20 20", "b2@20 20", "c@30 30");
    }

    @Test
    void runsEventsThatEventsScheduleAndSkipsCancelledOnes() {
        VirtualClock clock = new VirtualClock();
        List<Long> seen = new ArrayList<>();
        Scheduler.Cancellable cancelled = clock.schedule(() -> seen.add(-1L), 15);
        clock.schedule(() -> {
            seen.add(clock.elapsed());
            clock.schedule(() -> seen.add(clock.elapsed()), 100);
            cancelled.cancel();
        }, 10);

        clock.run();

        assertThat(seen).containsExactly(10L, 110L);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void sleepingRunsWhatFallsDueMeanwhileAndEndsAtTheDeadline() {
        VirtualClock clock = new VirtualClock();
        List<Long> seen = new ArrayList<>();
        clock.schedule(() -> seen.add(clock.elapsed()), 40);
        clock.schedule(() -> seen.add(clock.elapsed()), 60);

        clock.sleep(50);

        assertThat(seen).containsExactly(40L);
        assertThat(clock.elapsed()).isEqualTo(50);
        assertThat(clock.nanoTime() - VirtualClock.ORIGIN).isEqualTo(50);
    }
}
