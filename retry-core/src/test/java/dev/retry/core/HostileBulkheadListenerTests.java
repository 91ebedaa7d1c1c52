package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A bulkhead listener that throws an {@link Error} (a test's {@code AssertionError}, say) as a call
 * gets its permit. What it throws is logged when it is a {@code RuntimeException}; an Error reaches
 * the caller, and must not also keep the permit: a bulkhead of one would refuse every call after it.
 */
class HostileBulkheadListenerTests {

    private final VirtualClock time = new VirtualClock();
    private final AtomicInteger permitsTold = new AtomicInteger();

    /** A bulkhead whose listener throws when told of the {@code failing}-th permit. */
    private BulkheadPolicy bulkhead(int failing) {
        return BulkheadPolicy.builder()
                .name("inventory")
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofSeconds(1))
                .scheduler(time)
                .listener(new BulkheadListener() {
                    @Override
                    public void onCallPermitted(String name) {
                        if (permitsTold.incrementAndGet() == failing) {
                            throw new AssertionError("a listener's own check failed");
                        }
                    }
                })
                .build();
    }

    @Test
    void aSynchronousCallWhoseListenerThrowsAnErrorGivesItsPermitBack() throws Exception {
        BulkheadPolicy bulkhead = bulkhead(1);
        AtomicInteger ran = new AtomicInteger();

        assertThatThrownBy(() -> bulkhead.call(ran::incrementAndGet))
                .isInstanceOf(AssertionError.class)
                .hasMessage("a listener's own check failed");

        assertThat(ran).as("the call did not run").hasValue(0);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        assertThat(bulkhead.call(ran::incrementAndGet)).isEqualTo(1);
    }

    @Test
    void anAsynchronousCallGrantedAfterWaitingFailsWithTheErrorAndGivesItsPermitBack() {
        BulkheadPolicy bulkhead = bulkhead(2);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> holding = bulkhead.callAsync(() -> first);
        CompletableFuture<String> waiting = bulkhead.callAsync(() -> CompletableFuture.completedFuture("second"));
        assertThat(waiting).as("in line for the one permit").isNotDone();

        first.complete("first");
        time.runDueTasks(); // the permit goes to the waiting call, whose listener throws

        assertThat(holding).isCompletedWithValue("first");
        assertThat(waiting)
                .as("the Error ends the call it was told of, on the scheduler's thread")
                .isCompletedExceptionally();
        assertThat(waiting.handle((value, failure) -> failure).join())
                .isInstanceOf(AssertionError.class)
                .hasMessage("a listener's own check failed");
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        assertThat(bulkhead.callAsync(() -> CompletableFuture.completedFuture("third")))
                .isCompletedWithValue("third");
    }
}
