package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A count window holds exactly the last N outcomes, whatever their order: checked against a plain
 * queue over generated sequences, which spend long stretches in a ring full of successes (where
 * recording a success takes the shortcut that writes nothing) and then break out of it.
 */
class CountWindowPropertiesTest {

    enum Outcome {
        SUCCESS,
        FAILURE,
        SLOW_SUCCESS,
        SLOW_FAILURE;

        boolean failed() {
            return this == FAILURE || this == SLOW_FAILURE;
        }

        boolean slow() {
            return this == SLOW_SUCCESS || this == SLOW_FAILURE;
        }
    }

    record Run(int size, List<Outcome> outcomes) {}

    /** Runs of successes long enough to fill any window, broken now and then by the other outcomes. */
    private static Run mostlyHealthyRun(Generated.Draw draw) {
        int size = draw.intBetween(1, 12);
        List<Outcome> outcomes =
                draw.listOf(1, 200, () -> draw.chance(0.85) ? Outcome.SUCCESS : draw.oneOf(Outcome.class));
        return new Run(size, outcomes);
    }

    @Test
    void theTotalsAreAlwaysThoseOfTheLastSizeOutcomes() {
        Generated.check(500, CountWindowPropertiesTest::mostlyHealthyRun, run -> {
            CountWindow window = new CountWindow(run.size());
            Deque<Outcome> lastOutcomes = new ArrayDeque<>();
            for (Outcome outcome : run.outcomes()) {
                long returned = window.record(outcome.failed(), outcome.slow(), 0L);
                lastOutcomes.addLast(outcome);
                if (lastOutcomes.size() > run.size()) {
                    lastOutcomes.removeFirst();
                }
                long expected = 0;
                for (Outcome kept : lastOutcomes) {
                    expected += SlidingWindow.one(kept.failed(), kept.slow());
                }
                assertThat(returned).as("what record returns after %s", outcome).isEqualTo(expected);
                assertThat(window.totals(0L)).isEqualTo(expected);
                assertThat(window.recount()).as("the slots themselves").isEqualTo(expected);
            }
        });
    }
}
