package dev.retry.kotlin

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
import org.springframework.stereotype.Component

/**
 * A Spring bean whose suspend functions carry the six annotations; it counts and records what each
 * attempt saw. Open, with open functions, as Kotlin's `spring` compiler plugin would make it, so that
 * Spring's proxy can subclass it.
 */
@Component
open class Inventory {

    private val calls = ConcurrentHashMap<String, AtomicInteger>()

    /** The key and the attempt number `RetryContext` gave each attempt, in order. */
    open val attemptsSeen = CopyOnWriteArrayList<String>()

    /** The keys whose coroutine was cancelled while it ran. */
    open val cancelled = CopyOnWriteArrayList<String>()

    open fun callsOf(key: String): Int = calls[key]?.get() ?: 0

    private fun count(key: String): Int = calls.computeIfAbsent(key) { AtomicInteger() }.incrementAndGet()

    @Retryable("inventory")
    open suspend fun stock(sku: String): Int {
        attemptsSeen.add("$sku ${RetryContext.current().attempt()}")
        val attempt = count(sku)
        delay(1)
        if (attempt < 3) throw IOException("attempt $attempt of $sku failed")
        return 7
    }

    @Retryable("inventory")
    open suspend fun neverAnswers(sku: String): Int {
        val attempt = count(sku)
        delay(1)
        throw if (attempt == 1) IllegalStateException("attempt 1 of $sku") else IOException("attempt $attempt of $sku")
    }

    @Retryable("inventory")
    open suspend fun answersAtOnce(sku: String): Int {
        count(sku)
        return 1
    }

    @CircuitBreaker("inventory")
    open suspend fun guarded(sku: String): Int {
        count(sku)
        delay(1)
        throw IOException("$sku is down")
    }

    @Retryable("inventory")
    @Fallback("cached")
    open suspend fun withFallback(sku: String): String {
        count(sku)
        throw IOException("$sku is down")
    }

    open suspend fun cached(sku: String, failure: IOException): String {
        delay(1)
        return "cached $sku after ${failure.message}"
    }

    @Retryable("inventory")
    @Fallback("plainCached")
    open suspend fun withPlainFallback(sku: String): String {
        count(sku)
        throw IOException("$sku is down")
    }

    open fun plainCached(sku: String): String = "plain cached $sku"

    /** Retried; its first attempt waits for ever, until its coroutine is cancelled. */
    @Retryable("inventory")
    open suspend fun waitsForEver(key: String): String {
        count(key)
        try {
            return CompletableDeferred<String>().await()
        } catch (cancellation: CancellationException) {
            cancelled.add(key)
            throw cancellation
        }
    }

    @Timeout("inventory")
    open suspend fun hangs(key: String): String {
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
    open suspend fun search(query: String): String {
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
    open suspend fun limited(gate: CompletableDeferred<Unit>): String {
        gate.await()
        return "done"
    }

    @Retryable("inventory")
    open suspend fun requestIdSeen(key: String): String? {
        val attempt = count(key)
        delay(1)
        if (attempt < 2) throw IOException("first attempt of $key")
        return MDC.get("request")
    }
}
