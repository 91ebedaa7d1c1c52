package dev.retry.kotlin

import dev.retry.test.VirtualClock
import dev.retry.test.spring.RetryTestKit
import java.time.Duration
import java.util.concurrent.Executors
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

// What the suspend-function tests, proxied and woven alike, do with time: their policies run on the
// virtual clock, so a backoff, a hedge delay or a timeout passes only when a test moves it.

/** Runs [block] on one thread only, so that a blocked thread would stop everything else. */
fun <T> onOneThread(block: suspend CoroutineScope.() -> T): T {
    val executor = Executors.newSingleThreadExecutor()
    try {
        return runBlocking(executor.asCoroutineDispatcher(), block)
    } finally {
        executor.shutdownNow()
    }
}

/**
 * Moves [clock] on by [duration] once a policy has scheduled something on it (a retry after its
 * backoff, a hedge, a deadline), so that a test never advances past a wait that has not begun yet,
 * then lets the coroutines it resumed run.
 */
suspend fun RetryTestKit.advanceOnceScheduled(clock: VirtualClock, duration: Duration) {
    untilTrue { clock.pendingTasks() > 0 }
    advance(duration)
    repeat(20) { yield() }
}

/** Waits, for real but briefly, for what a suspended attempt does on its own (a 1 ms delay, say). */
suspend fun untilTrue(condition: () -> Boolean) {
    val deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos()
    while (!condition()) {
        check(System.nanoTime() < deadline) { "the condition did not become true within 30 s" }
        delay(1)
    }
}
