package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Synchronous retries whose own rules misbehave (predicates and extractors that throw) or whose
 * calls end in the unusual ways: Errors, nulls, null entries in the rules.
 */
class HostileRetryRulesTests {

    private final VirtualClock time = new VirtualClock();
    private final AtomicInteger attempts = new AtomicInteger();

    private RetryPolicyBuilder policy() {
        return RetryPolicy.builder().ticker(time).sleeper(time).maxAttempts(3);
    }

    private <T> T failWith(Throwable failure) throws Throwable {
        attempts.incrementAndGet();
        throw failure;
    }

    @Test
    void aRetryPredicateThatThrowsSurfacesWithTheCallsOwnFailureAttached() {
        IOException down = new IOException("down");
        IllegalStateException broken = new IllegalStateException("retryIf broke");
        RetryPolicy retry = policy().retryIf(failure -> {
                    throw broken;
                })
                .build();

        assertThatThrownBy(() -> retry.call(() -> failWith(down))).isSameAs(broken);
        assertThat(broken.getSuppressed())
                .as("the call's own failure is not lost")
                .containsExactly(down);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anExtractorThatThrowsTheFailureItWasGivenSurfacesAsThatFailure() {
        IOException down = new IOException("down");
        RetryPolicy retry = policy().requestedDelay(failure -> {
                    throw Exceptions.<RuntimeException>sneaky(failure);
                })
                .build();

        assertThatThrownBy(() -> retry.call(() -> failWith(down)))
                .as("no self-suppression error in its place")
                .isSameAs(down);
    }

    @Test
    void anAbortPredicateThatThrowsOnTheSecondFailureKeepsThatAttemptsFailure() {
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        IllegalStateException broken = new IllegalStateException("abortIf broke");
        RetryPolicy retry = policy().abortIf(failure -> {
                    if (failure == second) {
                        throw broken;
                    }
                    return false;
                })
                .build();

        assertThatThrownBy(() -> retry.call(() -> failWith(attempts.get() == 0 ? first : second)))
                .isSameAs(broken);
        assertThat(broken.getSuppressed()).containsExactly(second);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void errorsAreNotRetriedByDefaultAndReachTheCallerAsTheyAre() {
        StackOverflowError overflow = new StackOverflowError("deep");
        RetryPolicy retry = policy().build();

        assertThatThrownBy(() -> retry.call(() -> failWith(overflow))).isSameAs(overflow);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anErrorNamedInRetryOnIsRetried() {
        RetryPolicy retry = policy().retryOn(StackOverflowError.class).build();

        assertThatThrownBy(() -> retry.call(() -> failWith(new StackOverflowError("deep"))))
                .isInstanceOf(StackOverflowError.class)
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).hasSize(2));
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aCheckedExceptionNamedInAbortOnIsThrownAtOnceUnwrapped() {
        RetryPolicy retry = policy().abortOn(IOException.class).build();

        assertThatThrownBy(() -> retry.call(() -> failWith(new IOException("no"))))
                .isExactlyInstanceOf(IOException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aNullResultIsAResultLikeAnyOther() {
        RetryPolicy retry = policy().build();

        assertThat(retry.<Object, RuntimeException>call(() -> null)).isNull();
    }

    @Test
    void aResultPredicateMayBeAskedAboutNull() {
        RetryPolicy retry = policy().jitter(Jitter.NONE)
                .retryIfResult(result -> result == null)
                .build();

        assertThat(retry.<Object, RuntimeException>call(() -> attempts.incrementAndGet() < 3 ? null : "ok"))
                .isEqualTo("ok");
        assertThat(time.sleeps()).hasSize(2);
    }

    @Test
    void nullEntriesInTheRulesAreRefusedNamingTheirPosition() {
        assertThatThrownBy(() -> RetryPolicy.builder().retryOn(IOException.class, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("retryOn must not contain null, but element 1 was null");
        assertThatThrownBy(() -> RetryPolicy.builder().abortOn((Class<? extends Throwable>) null))
                .hasMessage("abortOn must not contain null, but element 0 was null");
        assertThatThrownBy(() -> RetryPolicy.builder().delay(null)).hasMessage("delay must not be null");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"}) // what a raw array or a class-name binder can hand over
    void aTypeThatIsNoThrowableIsRefusedNamingTheOptionNotWithAClassCastException() {
        Class[] notFailures = {IOException.class, String.class};

        assertThatThrownBy(() -> RetryPolicy.builder().retryOn(notFailures))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("retryOn must be a list of Throwable types, but was java.lang.String");
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().ignoreOn(notFailures))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("ignoreOn must be a list of Throwable types, but was java.lang.String");
    }

    @Test
    void aSleeperThatIsInterruptedStopsTheRetriesAndKeepsTheInterrupt() {
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(5)
                .delay(Duration.ofMillis(1))
                .sleeper(nanos -> {
                    throw new InterruptedException();
                })
                .build();

        try {
            assertThatThrownBy(() -> retry.call(() -> failWith(new IOException("down"))))
                    .isInstanceOf(IOException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(attempts).hasValue(1);
        } finally {
            Thread.interrupted();
        }
    }
}
