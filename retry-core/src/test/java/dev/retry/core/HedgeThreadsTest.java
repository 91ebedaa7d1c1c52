package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where the default executor runs a synchronous hedged call's attempts: on a thread of the caller's
 * kind. Real threads by necessity, since the kind of thread is what is checked; the hedge delay is
 * far beyond any wait, so no hedge starts and nothing here depends on timing.
 */
class HedgeThreadsTest {

    private static final long GENEROUS_SECONDS = 30;

    private final HedgePolicy hedge =
            HedgePolicy.builder().delay(Duration.ofMinutes(10)).build();

    @AfterEach
    void leaveNoThreadBehind() {
        CoreThreads.stop();
    }

    @Test
    void aPlatformCallersAttemptRunsOnAPooledPlatformThread() {
        Thread attempt = hedge.call(Thread::currentThread);

        assertThat(attempt).isNotSameAs(Thread.currentThread());
        assertThat(attempt.getName()).startsWith("retry-hedge-");
        assertThat(isVirtual(attempt)).isFalse();
    }

    @Test
    void aVirtualCallersAttemptRunsOnAVirtualThreadOfItsOwn() throws Exception {
        assumeTrue(SystemTime.hasVirtualThreads(), "virtual threads need JDK 21 or later");
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Thread> attempt = new CompletableFuture<>();
        startVirtualThread(() -> {
            caller.set(Thread.currentThread());
            try {
                attempt.complete(hedge.call(Thread::currentThread));
            } catch (Throwable failure) {
                attempt.completeExceptionally(failure);
            }
        });

        Thread ran = attempt.get(GENEROUS_SECONDS, TimeUnit.SECONDS);
        assertThat(ran).isNotSameAs(caller.get());
        assertThat(isVirtual(ran)).as("the attempt's thread is virtual").isTrue();
        assertThat(ran.getName()).isEqualTo("retry-hedge");
    }

    @Test
    void anExecutorOfTheUsersOwnIsAlwaysUsedWhateverTheCaller() throws Exception {
        assumeTrue(SystemTime.hasVirtualThreads(), "virtual threads need JDK 21 or later");
        java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor(
                runnable -> new Thread(runnable, "the-users-own"));
        try {
            HedgePolicy configured = HedgePolicy.builder()
                    .delay(Duration.ofMinutes(10))
                    .executor(own)
                    .build();
            CompletableFuture<String> name = new CompletableFuture<>();
            startVirtualThread(() ->
                    name.complete(configured.call(() -> Thread.currentThread().getName())));
            assertThat(name.get(GENEROUS_SECONDS, TimeUnit.SECONDS)).isEqualTo("the-users-own");
        } finally {
            own.shutdownNow();
        }
    }

    /** The core and its tests are compiled for JDK 17, which has no virtual threads: found at run time. */
    private static void startVirtualThread(Runnable task) throws Exception {
        Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
    }

    private static boolean isVirtual(Thread thread) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException beforeJdk21) {
            return false;
        } catch (ReflectiveOperationException unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }
}
