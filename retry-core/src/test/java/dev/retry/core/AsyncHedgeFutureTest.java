package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The future an asynchronous hedged call hands back, as a caller holds it: what completing or
 * cancelling it by hand answers, a hedge that starts as the call is decided, and stages of another
 * library's that cannot become a {@link CompletableFuture}. Virtual time; the test completes each
 * attempt's stage by hand.
 */
class AsyncHedgeFutureTest {

    private final VirtualClock time = new VirtualClock();
    private final List<CompletableFuture<String>> attempts = new ArrayList<>();

    private HedgePolicyBuilder policy() {
        return HedgePolicy.builder().ticker(time).scheduler(time).delay(Duration.ofMillis(100));
    }

    /** A slow service: each attempt gets a fresh future, completed by the test. */
    private CompletionStage<String> slowAttempt() {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        attempts.add(attempt);
        return attempt;
    }

    /** As {@link CompletableFuture#complete}, the caller learns whether its hand ended the call. */
    @Test
    void completingTheFutureByHandAnswersWhetherItEndedTheCall() {
        CompletableFuture<String> result = policy().build().callAsync(this::slowAttempt);

        assertThat(result.complete("by hand")).isTrue();
        assertThat(result.complete("again")).isFalse();
        assertThat(result.completeExceptionally(new IOException("too late"))).isFalse();
        assertThat(result.cancel(true)).isFalse();

        assertThat(result).isCompletedWithValue("by hand");
        assertThat(attempts.get(0)).as("the primary was stopped").isCancelled();
    }

    @Test
    void failingOrCancellingTheFutureByHandAnswersTheSame() {
        CompletableFuture<String> failed = policy().build().callAsync(this::slowAttempt);
        assertThat(failed.completeExceptionally(new IOException("given up"))).isTrue();
        assertThat(failed.completeExceptionally(new IOException("again"))).isFalse();

        CompletableFuture<String> cancelled = policy().build().callAsync(this::slowAttempt);
        assertThat(cancelled.cancel(true)).isTrue();
        assertThat(cancelled.complete("too late")).isFalse();
        assertThat(cancelled).isCancelled();

        assertThat(attempts)
                .hasSize(2)
                .allSatisfy(attempt -> assertThat(attempt).isCancelled());
        assertThat(time.pendingTasks()).as("no hedge left to start").isZero();
    }

    /** An answer the call has already had ends nothing more: the call's own outcome then stands. */
    @Test
    void aCallDecidedByItsAttemptsIsNotEndedAgainByHand() {
        CompletableFuture<String> result = policy().build().callAsync(this::slowAttempt);
        attempts.get(0).complete("primary");

        assertThat(result.complete("by hand")).isFalse();
        assertThat(result.cancel(true)).isFalse();
        assertThat(result).isCompletedWithValue("primary");
    }

    /**
     * The hedge's timer fires and, while the hedge is being announced, the primary wins: the
     * hedge's stage, asked for a moment later, is cancelled at once rather than left running.
     */
    @Test
    void aHedgeAskedForAsTheCallIsDecidedIsCancelledAtOnce() {
        HedgeListener primaryWinsMeanwhile = new HedgeListener() {
            @Override
            public void onHedgeStarted(HedgeEvent event) {
                attempts.get(0).complete("primary");
            }
        };
        CompletableFuture<String> result =
                policy().listener(primaryWinsMeanwhile).build().callAsync(this::slowAttempt);

        time.advance(Duration.ofMillis(100));

        assertThat(result).isCompletedWithValue("primary");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1)).as("the hedge started too late").isCancelled();
    }

    /**
     * A stage of another library's, which cannot be turned into a {@link CompletableFuture} (nor
     * therefore be cancelled): the call still waits for it, and when it loses it is left to run out.
     */
    @Test
    void aForeignStageIsAwaitedAndWhenItLosesLeftToRunOut() {
        CompletableFuture<String> behindTheForeignStage = new CompletableFuture<>();
        List<CompletionStage<String>> stages = new ArrayList<>();
        stages.add(foreign(behindTheForeignStage));
        CompletableFuture<String> hedge = new CompletableFuture<>();
        stages.add(hedge);
        CompletableFuture<String> result = policy().build().callAsync(() -> stages.remove(0));

        assertThat(result).isNotDone();
        time.advance(Duration.ofMillis(100));
        hedge.complete("hedge");

        assertThat(result).isCompletedWithValue("hedge");
        assertThat(behindTheForeignStage).as("nothing could cancel it").isNotDone();
        behindTheForeignStage.complete("too late");
        assertThat(result).isCompletedWithValue("hedge");
    }

    @Test
    void aForeignStageThatAnswersFirstWins() {
        CompletableFuture<String> behindTheForeignStage = new CompletableFuture<>();
        CompletableFuture<String> result = policy().build().callAsync(() -> foreign(behindTheForeignStage));

        behindTheForeignStage.complete("foreign");

        assertThat(result).isCompletedWithValue("foreign");
        assertThat(time.pendingTasks()).as("the hedge's timer was withdrawn").isZero();
    }

    /** Without hedges an asynchronous call arms no timer at all: there is nothing for one to start. */
    @Test
    void withoutHedgesAnAsynchronousCallArmsNoTimer() {
        CompletableFuture<String> result = policy().maxHedges(0).build().callAsync(this::slowAttempt);

        assertThat(time.pendingTasks()).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(attempts).as("the primary alone").hasSize(1);
        attempts.get(0).complete("primary");
        assertThat(result).isCompletedWithValue("primary");
    }

    /** A {@link CompletionStage} backed by {@code future} whose {@code toCompletableFuture()} is refused. */
    @SuppressWarnings("unchecked")
    private static CompletionStage<String> foreign(CompletableFuture<String> future) {
        return (CompletionStage<String>) Proxy.newProxyInstance(
                AsyncHedgeFutureTest.class.getClassLoader(),
                new Class<?>[] {CompletionStage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("toCompletableFuture")) {
                        throw new UnsupportedOperationException("a foreign stage");
                    }
                    try {
                        return method.invoke(future, args);
                    } catch (InvocationTargetException thrown) {
                        throw thrown.getCause();
                    }
                });
    }
}
