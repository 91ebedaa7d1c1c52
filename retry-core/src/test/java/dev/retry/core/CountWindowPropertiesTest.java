package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A count window holds exactly the last N outcomes, whatever their order: checked against a plain
 * queue over generated sequences, which spend long stretches in a ring full of successes (where
 * recording a success takes the shortcut that writes nothing) and then break out of it.
 */
class CountWindowPropertiesTest {

    enum Outcome { SUCCESS, FAILURE, SLOW_SUCCESS, SLOW_FAILURE }

    @Property(tries = 300)
    void theTotalsAreAlwaysThoseOfTheLastSizeOutcomes(@ForAll @IntRange(min = 1, max = 12) int size,
            @ForAll("mostlyHealthyRuns") List<Outcome> outcomes) {
        CountWindow window = new CountWindow(size);
        Deque<Outcome> lastOutcomes = new ArrayDeque<>();
        for (Outcome outcome : outcomes) {
            boolean failed = outcome == Outcome.FAILURE || outcome == Outcome.SLOW_FAILURE;
            boolean slow = outcome == Outcome.SLOW_SUCCESS || outcome == Outcome.SLOW_FAILURE;
            long returned = window.record(failed, slow, 0L);
            lastOutcomes.addLast(outcome);
            if (lastOutcomes.size() > size) {
                lastOutcomes.removeFirst();
            }
            long expected = 0;
            for (Outcome kept : lastOutcomes) {
                expected += SlidingWindow.one(kept == Outcome.FAILURE || kept == Outcome.SLOW_FAILURE,
                        kept == Outcome.SLOW_SUCCESS || kept == Outcome.SLOW_FAILURE);
            }
            assertThat(returned).as("what record returns after %s", outcome).isEqualTo(expected);
            assertThat(window.totals(0L)).isEqualTo(expected);
            assertThat(window.recount()).as("the slots themselves").isEqualTo(expected);
        }
    }

    /** Runs of successes long enough to fill any window, broken now and then by the other outcomes. */
    @Provide
    Arbitrary<List<Outcome>> mostlyHealthyRuns() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(85, Arbitraries.just(Outcome.SUCCESS)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Outcome.FAILURE)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Outcome.SLOW_SUCCESS)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Outcome.SLOW_FAILURE)))
                .list().ofMinSize(1).ofMaxSize(200);
    }
}
