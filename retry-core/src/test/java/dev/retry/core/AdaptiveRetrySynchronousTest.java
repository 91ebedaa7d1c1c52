package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Adaptive retry on synchronous calls, the common case for annotated methods returning plain values:
 * the same promises as {@link AdaptiveRetryPolicyTest} makes for asynchronous ones, in virtual time.
 */
class AdaptiveRetrySynchronousTest {

    private static final Duration CALL_INTERVAL = Duration.ofMillis(20);

    private final VirtualClock time = new VirtualClock();
    private boolean serviceUp;

    private String service() {
        if (!serviceUp) {
            throw new IllegalStateException("down");
        }
        return "ok";
    }

    /** One synchronous call every 20 ms (its backoffs sleep in virtual time); the limit after each. */
    private List<Integer> drive(RetryPolicy policy, Duration duration) {
        List<Integer> limits = new ArrayList<>();
        for (long i = 0; i < duration.dividedBy(CALL_INTERVAL); i++) {
            Throwable failure = catchThrowable(() -> policy.call(this::service));
            assertThat(failure == null)
                    .as("a call succeeds exactly while the service is up")
                    .isEqualTo(serviceUp);
            time.advance(CALL_INTERVAL);
            limits.add(policy.currentMaxAttempts());
        }
        return limits;
    }

    @Test
    void synchronousCallsStepTheLimitDownWhileTheServiceIsDeadAndBackUpOnceItAnswersAgain() {
        RetryPolicy policy = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .delay(Duration.ofMillis(100))
                .maxAttempts(3)
                .adaptive(1)
                .build();

        serviceUp = false;
        List<Integer> dying = drive(policy, Duration.ofSeconds(20));
        assertThat(dying).as("after 20 s of a dead service").endsWith(1);
        assertThat(dying.indexOf(1)).as("reached the floor within 10 s").isLessThan(10_000 / 20);

        serviceUp = true;
        List<Integer> recovering = drive(policy, Duration.ofSeconds(25));
        assertThat(recovering.indexOf(3))
                .as("back at max-attempts within 20 s: %s", recovering)
                .isBetween(0, 20_000 / 20);
        assertThat(recovering).endsWith(3);
    }

    @Test
    void resettingAdaptationGivesBackTheFullAttemptLimitAtOnce() {
        RetryPolicy policy = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .delay(Duration.ofMillis(100))
                .maxAttempts(3)
                .adaptive(1)
                .build();
        serviceUp = false;
        assertThat(drive(policy, Duration.ofSeconds(20))).endsWith(1);

        policy.resetAdaptation();

        assertThat(policy.currentMaxAttempts())
                .as("back at max-attempts without waiting for first attempts to succeed")
                .isEqualTo(3);
        AtomicInteger attempts = new AtomicInteger();
        catchThrowable(() -> policy.call(() -> {
            attempts.incrementAndGet();
            return service();
        }));
        assertThat(attempts).as("the next call gets all its attempts").hasValue(3);
    }

    @Test
    void resettingAPolicyWithoutAdaptationChangesNothing() {
        RetryPolicy policy = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .maxAttempts(4)
                .build();
        policy.resetAdaptation();
        assertThat(policy.currentMaxAttempts()).isEqualTo(4);
    }
}
