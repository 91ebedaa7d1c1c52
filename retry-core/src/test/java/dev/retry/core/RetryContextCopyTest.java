package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An attempt whose work resumes on another thread (a Kotlin coroutine on its dispatcher's thread)
 * carries a copy of its context there: the copy reads as the attempt did, on any thread, and the key
 * it carries is the one every other attempt of the call sees.
 */
class RetryContextCopyTest {

    private final VirtualClock time = new VirtualClock();
    private final RetryPolicy retry =
            RetryPolicy.builder().ticker(time).sleeper(time).build();

    @Test
    void aCopyMadeCurrentOnAnotherThreadReadsAsItsAttemptAndPutsBackWhatWasThere() throws InterruptedException {
        List<RetryContext> copies = new ArrayList<>();
        List<String> keysSeenByAttempts = new ArrayList<>();
        retry.call(() -> {
            copies.add(RetryContext.copyOfCurrent());
            keysSeenByAttempts.add(RetryContext.current().idempotencyKey());
            if (RetryContext.current().attempt() < 2) {
                throw new IllegalStateException("again");
            }
            return "ok";
        });
        assertThat(keysSeenByAttempts)
                .as("the key the copy drew is the call's key for its later attempts too")
                .hasSize(2)
                .containsOnly(keysSeenByAttempts.get(0));

        AtomicReference<String> seenElsewhere = new AtomicReference<>();
        Thread other = new Thread(() -> {
            RetryContext before = copies.get(1).makeCurrent();
            try {
                seenElsewhere.set(RetryContext.current().attempt() + " "
                        + RetryContext.current().idempotencyKey());
            } finally {
                before.makeCurrent();
            }
            seenElsewhere.set(seenElsewhere.get() + " then active: " + RetryContext.isActive());
        });
        other.start();
        other.join();
        assertThat(seenElsewhere.get()).isEqualTo("2 " + keysSeenByAttempts.get(0) + " then active: false");
        assertThat(RetryContext.isActive()).as("this thread, after the call").isFalse();
    }

    @Test
    void aCopyMadeCurrentInsideAnotherCallIsUndoneBackToThatCallsAttempt() {
        RetryContext firstCallsAttempt = retry.call(RetryContext::copyOfCurrent);
        String seen = retry.call(() -> {
            String ownKey = RetryContext.current().idempotencyKey();
            RetryContext before = firstCallsAttempt.makeCurrent();
            String inside = RetryContext.current().idempotencyKey();
            before.makeCurrent();
            return (inside.equals(ownKey) ? "same" : "other") + " key, then back to "
                    + RetryContext.current().idempotencyKey().equals(ownKey);
        });
        assertThat(seen).isEqualTo("other key, then back to true");
    }

    @Test
    void outsideAnyCallTheCopyIsInactiveAndMakesAThreadInactive() {
        RetryContext outside = RetryContext.copyOfCurrent();
        String seen = retry.call(() -> {
            RetryContext before = outside.makeCurrent();
            boolean active = RetryContext.isActive();
            before.makeCurrent();
            return active + " then " + RetryContext.current().attempt();
        });
        assertThat(seen).isEqualTo("false then 1");
    }

    @Test
    void theContextCurrentHandsOutIsNotACopyToMakeCurrent() {
        assertThatThrownBy(() -> retry.call(() -> RetryContext.current().makeCurrent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("copyOfCurrent()");
    }
}
