package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edges of a hedge policy as a whole: the adaptive delay across a reconfiguration and for a service
 * that answers in no time, and an unhedged hedge policy inside a retry. Virtual time.
 */
class HedgeDelayAndContextTest {

    private static final long MS = 1_000_000L;
    private static final Duration FALLBACK = Duration.ofMillis(150);

    private final VirtualClock time = new VirtualClock();

    private HedgePolicyBuilder adaptive(double percentile) {
        return HedgePolicy.builder()
                .name("search")
                .ticker(time)
                .scheduler(time)
                .delay(FALLBACK)
                .delayPercentile(percentile, Duration.ofMillis(5), Duration.ofSeconds(1));
    }

    private static void feed(HedgePolicy hedge, long nanos, int count) {
        for (int i = 0; i < count; i++) {
            hedge.recordLatency(nanos);
        }
    }

    /**
     * Reconfigured to another percentile, an adaptive policy keeps the latencies it has learned and
     * reads them under the new percentile for the very next call, instead of falling back to the
     * fixed delay until the next refresh or until it has learned again.
     */
    @Test
    void aReconfiguredAdaptiveDelayKeepsWhatItLearnedAndReadsItAtOnce() {
        HedgePolicy hedge = adaptive(90).build();
        feed(hedge, 40 * MS, 100);
        assertThat(hedge.currentDelay().toNanos()).as("p90 of 40 ms calls").isBetween(40 * MS, 43 * MS);

        hedge.reconfigure(adaptive(50).buildConfig());

        assertThat(hedge.currentDelay().toNanos())
                .as("p50 of the same 40 ms calls, not the fixed %s", FALLBACK)
                .isBetween(40 * MS, 43 * MS);
    }

    /** A service that answers in no time is hedged after the smallest delay allowed, not the fallback. */
    @Test
    void latenciesOfZeroBringTheDelayDownToItsFloor() {
        HedgePolicy hedge = adaptive(90).build();
        feed(hedge, 0, 100);

        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(5));
    }

    /**
     * With no hedges configured the call runs on the caller's thread; inside a retry it must leave
     * the retry's context as it found it: the attempt number, and the key every attempt shares.
     */
    @Test
    void anUnhedgedCallInsideARetryLeavesTheRetrysContextAsItWas() throws Exception {
        HedgePolicy unhedged =
                HedgePolicy.builder().ticker(time).scheduler(time).maxHedges(0).build();
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .maxAttempts(2)
                .build();
        List<String> keysSeenInside = new ArrayList<>();
        List<String> afterTheHedge = new ArrayList<>();

        String result = retry.call(() -> {
            keysSeenInside.add(unhedged.call(() -> RetryContext.current().idempotencyKey()));
            RetryContext context = RetryContext.current();
            afterTheHedge.add(context.attempt() + " " + context.idempotencyKey());
            if (afterTheHedge.size() == 1) {
                throw new IOException("first attempt fails");
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        String key = keysSeenInside.get(0);
        assertThat(keysSeenInside).as("the hedge runs under the retry's key").containsExactly(key, key);
        assertThat(afterTheHedge).containsExactly("1 " + key, "2 " + key);
    }
}
