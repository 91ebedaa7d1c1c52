package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The README promises one UUID per logical call, to send as an {@code Idempotency-Key}. A server
 * that dedupes on it must not be fooled by a client that guesses another client's next key, so the
 * keys have to be random version-4 UUIDs, not a per-process prefix with a counting or seeded tail.
 */
class IdempotencyKeyTest {

    private static final int CALLS = 10_000;

    private final VirtualClock time = new VirtualClock();
    private final RetryPolicy retry =
            RetryPolicy.builder().ticker(time).sleeper(time).build();

    @Test
    void oneObservedKeyDoesNotPredictTheNextBecauseNoTwoKeysShareTheirFirstHalf() {
        List<UUID> keys = keysOfCalls(CALLS);

        Set<Long> firstHalves = new HashSet<>();
        Set<Long> secondHalves = new HashSet<>();
        for (UUID key : keys) {
            firstHalves.add(key.getMostSignificantBits());
            secondHalves.add(key.getLeastSignificantBits());
        }
        assertThat(firstHalves).as("distinct first halves of %d keys", CALLS).hasSize(CALLS);
        assertThat(secondHalves).as("distinct second halves of %d keys", CALLS).hasSize(CALLS);
        Set<Long> steps = new HashSet<>();
        for (int i = 1; i < keys.size(); i++) {
            steps.add(keys.get(i).getLeastSignificantBits() - keys.get(i - 1).getLeastSignificantBits());
        }
        assertThat(steps).as("steps between consecutive keys").hasSizeGreaterThan(CALLS - 10);
    }

    @Test
    void everyKeyIsAVersion4UuidWhose122RandomBitsAreEachSetInAboutHalfOfTheKeys() {
        List<UUID> keys = keysOfCalls(CALLS);
        int[] setCounts = new int[128];
        for (UUID key : keys) {
            assertThat(key.version()).as("version of %s", key).isEqualTo(4);
            assertThat(key.variant()).as("variant of %s", key).isEqualTo(2);
            for (int bit = 0; bit < 64; bit++) {
                setCounts[bit] += (int) ((key.getLeastSignificantBits() >>> bit) & 1L);
                setCounts[64 + bit] += (int) ((key.getMostSignificantBits() >>> bit) & 1L);
            }
        }
        for (int bit = 0; bit < 128; bit++) {
            boolean fixedByTheFormat = bit == 62
                    || bit == 63 // the variant
                    || (bit >= 64 + 12 && bit < 64 + 16); // the version
            if (!fixedByTheFormat) {
                // 10,000 fair coins land between 4,000 and 6,000 heads but for odds of about 1e-88.
                assertThat(setCounts[bit]).as("keys with bit %d set", bit).isBetween(4_000, 6_000);
            }
        }
    }

    @Test
    void theKeyIsOneStringForEveryAttemptOfACallAndIsDrawnOnlyWhenAskedFor() {
        List<String> seen = new ArrayList<>();
        String result = retry.call(() -> {
            RetryContext context = RetryContext.current();
            assertThat(context.key)
                    .as("key before anybody asked, attempt %d", context.attempt())
                    .isNull();
            if (context.attempt() < 3) {
                throw new IllegalStateException("attempt " + context.attempt());
            }
            seen.add(context.idempotencyKey());
            seen.add(context.idempotencyKey());
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(seen.get(0)).isSameAs(seen.get(1));

        List<String> everyAttempt = new ArrayList<>();
        retry.call(() -> {
            everyAttempt.add(RetryContext.current().idempotencyKey());
            if (RetryContext.current().attempt() < 3) {
                throw new IllegalStateException("again");
            }
            return "ok";
        });
        assertThat(everyAttempt).hasSize(3).containsOnly(everyAttempt.get(0));
        assertThat(everyAttempt.get(0)).isNotEqualTo(seen.get(0));
    }

    private List<UUID> keysOfCalls(int calls) {
        List<UUID> keys = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            keys.add(UUID.fromString(retry.call(() -> RetryContext.current().idempotencyKey())));
        }
        return keys;
    }
}
