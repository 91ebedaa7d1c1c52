package dev.retry.kotlin

import dev.retry.annotation.Retryable
import dev.retry.annotation.Timeout
import dev.retry.spring.autoconfigure.RetryAutoConfiguration
import dev.retry.spring.interceptor.InvalidRetryAnnotationException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flowOf
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * A method that returns a Kotlin `Flow` with one of the annotations stops the start-up, with one
 * message that says what to write instead: a Flow runs when it is collected, after the call has
 * returned it, so nothing of the call could be retried or timed.
 */
class FlowRefusalTests {

    open class Catalogue {
        @Retryable
        open fun items(): Flow<Int> = flowOf(1, 2)
    }

    open class LaterCatalogue {
        @Timeout
        open suspend fun itemsLater(): Flow<Int> = flowOf(1, 2)
    }

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration::class.java))

    @Test
    fun `a function that returns a Flow is refused at start-up`() {
        runner.withBean(Catalogue::class.java).run { context ->
            assertThat(context)
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidRetryAnnotationException::class.java)
                .hasMessageContaining("Catalogue.items(): it returns a kotlinx.coroutines.flow.Flow")
                .hasMessageContaining("Return a Flux instead")
        }
    }

    @Test
    fun `a suspend function that returns a Flow is refused at start-up`() {
        runner.withBean(LaterCatalogue::class.java).run { context ->
            assertThat(context)
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidRetryAnnotationException::class.java)
                .hasMessageContaining("LaterCatalogue.itemsLater(): it returns a kotlinx.coroutines.flow.Flow")
        }
    }
}
