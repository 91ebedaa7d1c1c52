package dev.retry.kotlin

import dev.retry.annotation.Fallback
import dev.retry.annotation.Retryable
import dev.retry.core.RetryContext
import dev.retry.spring.autoconfigure.RetryAutoConfiguration
import dev.retry.spring.autoconfigure.RetryObservationAutoConfiguration
import io.micrometer.observation.ObservationRegistry
import io.micrometer.observation.tck.TestObservationRegistry
import java.io.IOException
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.aop.support.AopUtils
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * A suspend function's attempts resume on the dispatcher's threads, not on the one that started
 * them: the attempt's observation and its `RetryContext` are current there all the same, after
 * every suspension; and a suspend function whose fallback cannot fit stops the start-up with one
 * message.
 */
class ObservedSuspendFunctionsTests {

    /** Records, after a suspension, which observation and attempt are current in each attempt. */
    open class Catalog(private val observations: ObservationRegistry) {

        open val seen = CopyOnWriteArrayList<String>()

        @Retryable("catalog")
        open suspend fun price(sku: String): Int {
            delay(1) // resumes on the dispatcher's thread, in a new dispatch
            val observation = observations.currentObservation
            val attempt = RetryContext.current().attempt()
            seen.add(
                "${observation?.context?.name} attempt=" +
                    "${observation?.context?.getLowCardinalityKeyValue("attempt")?.value} retry-context=$attempt " +
                    "on ${Thread.currentThread().name.substringBefore(' ')}",
            )
            if (attempt < 2) throw IOException("attempt $attempt of $sku failed")
            return 12
        }
    }

    /** A suspend function whose fallback takes other parameters: a mistake to report at start-up. */
    open class Misfit {
        @Fallback("cached")
        open suspend fun price(sku: String): Int = sku.length

        open fun cached(sku: Int): Int = sku
    }

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RetryObservationAutoConfiguration::class.java, RetryAutoConfiguration::class.java))
        .withPropertyValues("retry.policies.catalog.max-attempts=2", "retry.policies.catalog.delay=0s")

    @Test
    fun `the attempt's observation and RetryContext are current inside the suspend body, on the dispatcher's thread`() {
        val registry = TestObservationRegistry.create()
        runner
            .withBean(ObservationRegistry::class.java, { registry })
            .withBean(Catalog::class.java, registry)
            .run { context ->
                val catalog = context.getBean(Catalog::class.java)
                assertThat(AopUtils.isAopProxy(catalog)).isTrue()
                val executor = Executors.newSingleThreadExecutor { Thread(it, "dispatcher") }
                try {
                    val price = runBlocking(executor.asCoroutineDispatcher()) { catalog.price("P-1") }
                    assertThat(price).isEqualTo(12)
                } finally {
                    executor.shutdownNow()
                }
                assertThat(catalog.seen).containsExactly(
                    "retry.attempt attempt=1 retry-context=1 on dispatcher",
                    "retry.attempt attempt=2 retry-context=2 on dispatcher",
                )
            }
        assertThat(registry).hasObservationWithNameEqualTo("retry.call")
    }

    @Test
    fun `a suspend function whose fallback cannot take its parameters stops the start-up naming both`() {
        runner.withBean(Misfit::class.java).run { context ->
            assertThat(context).hasFailed()
            var failure: Throwable? = context.startupFailure
            while (failure?.cause != null && failure.message?.contains("@Fallback") != true) failure = failure.cause
            assertThat(failure!!.message)
                .contains("Misfit.price")
                .contains("@Fallback(\"cached\") names no usable method in Misfit")
                .contains("cached(int) has other parameters")
                .contains("Declare cached(String) or cached(String, SomeException e) in the same bean, returning what price returns")
            assertThat(failure.message).describedAs("the continuation is not the user's to declare")
                .doesNotContain("Continuation")
        }
    }
}
