package dev.retry.kotlin.woven

import dev.retry.annotation.Bulkhead
import dev.retry.annotation.CircuitBreaker
import dev.retry.annotation.Fallback
import dev.retry.annotation.Hedged
import dev.retry.annotation.Retryable
import dev.retry.annotation.Timeout
import dev.retry.core.RetryContext
import java.io.IOException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.delay
import org.slf4j.MDC

/**
 * Suspend functions with the six annotations, woven by AspectJ's agent as the class loads (see the
 * pom's load-time-weaving execution): a final class with final functions, as Kotlin writes them
 * without the `spring` compiler plugin, which AspectJ mode does not need. Each resumption of a
 * final suspend function enters the function again (its state machine calls it with its own
 * continuation), which the aspect must tell from a new call.
 */
class WovenInventory {

    private val calls = ConcurrentHashMap<String, AtomicInteger>()

    /** The key and the attempt number `RetryContext` gave each attempt, in order. */
    val attemptsSeen = CopyOnWriteArrayList<String>()

    /** The keys whose coroutine was cancelled while it ran. */
    val cancelled = CopyOnWriteArrayList<String>()

    fun callsOf(key: String): Int = calls[key]?.get() ?: 0

    private fun count(key: String): Int = calls.computeIfAbsent(key) { AtomicInteger() }.incrementAndGet()

    /** Not annotated: its call of [stock], from inside the object, is one no proxy would see. */
    suspend fun restock(sku: String): Int = stock(sku) + 1

    @Retryable("inventory")
    suspend fun stock(sku: String): Int {
        attemptsSeen.add("$sku ${RetryContext.current().attempt()}")
        val attempt = count(sku)
        delay(1)
        if (attempt < 3) throw IOException("attempt $attempt of $sku failed")
        return 7
    }

    @Retryable("inventory")
    suspend fun neverAnswers(sku: String): Int {
        val attempt = count(sku)
        delay(1)
        throw if (attempt == 1) IllegalStateException("attempt 1 of $sku") else IOException("attempt $attempt of $sku")
    }

    @Retryable("inventory")
    suspend fun answersAtOnce(sku: String): Int {
        count(sku)
        return 1
    }

    @Retryable("inventory")
    suspend fun nothing(key: String): String? {
        count(key)
        delay(1)
        return null
    }

    @CircuitBreaker("inventory")
    suspend fun guarded(sku: String): Int {
        count(sku)
        delay(1)
        throw IOException("$sku is down")
    }

    @Retryable("inventory")
    @Fallback("cached")
    suspend fun withFallback(sku: String): String {
        count(sku)
        throw IOException("$sku is down")
    }

    suspend fun cached(sku: String, failure: IOException): String {
        delay(1)
        return "cached $sku after ${failure.message}"
    }

    /** Retried; its first attempt waits for ever, until its coroutine is cancelled. */
    @Retryable("inventory")
    suspend fun waitsForEver(key: String): String {
        count(key)
        try {
            return CompletableDeferred<String>().await()
        } catch (cancellation: CancellationException) {
            cancelled.add(key)
            throw cancellation
        }
    }

    @Timeout("inventory")
    suspend fun hangs(key: String): String {
        count(key)
        try {
            delay(60_000)
            return "late"
        } catch (cancellation: CancellationException) {
            cancelled.add(key)
            throw cancellation
        }
    }

    @Hedged("inventory")
    suspend fun search(query: String): String {
        val attempt = count(query)
        if (attempt == 1) {
            try {
                delay(60_000)
                return "primary"
            } catch (cancellation: CancellationException) {
                cancelled.add(query)
                throw cancellation
            }
        }
        return "hedge"
    }

    @Bulkhead("inventory")
    suspend fun limited(gate: CompletableDeferred<Unit>): String {
        gate.await()
        return "done"
    }

    @Retryable("inventory")
    suspend fun requestIdSeen(key: String): String? {
        val attempt = count(key)
        delay(1)
        if (attempt < 2) throw IOException("first attempt of $key")
        return MDC.get("request")
    }
}

/**
 * Open, with an open suspend function, as Kotlin's `spring` plugin makes a bean's class: the
 * compiler puts the body in a static `stock$suspendImpl` twin that carries the same annotations,
 * which must not be intercepted a second time.
 */
open class OpenWovenInventory {

    val attempts = AtomicInteger()

    @Retryable("inventory")
    open suspend fun stock(sku: String): Int {
        val attempt = attempts.incrementAndGet()
        delay(1)
        if (attempt < 3) throw IOException("attempt $attempt of $sku failed")
        return 7
    }
}
