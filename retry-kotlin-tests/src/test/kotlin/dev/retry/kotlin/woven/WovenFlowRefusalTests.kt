package dev.retry.kotlin.woven

import dev.retry.annotation.Retryable
import dev.retry.aspectj.autoconfigure.RetryAspectAutoConfiguration
import dev.retry.spring.autoconfigure.RetryAutoConfiguration
import dev.retry.spring.interceptor.InvalidRetryAnnotationException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flowOf
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.condition.EnabledIfSystemProperty
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/** In AspectJ mode too, a woven method that returns a Kotlin `Flow` stops the start-up. */
@EnabledIfSystemProperty(
    named = "retry.test.weaving-agent",
    matches = "true",
    disabledReason = "needs -javaagent:aspectjweaver.jar: runs in the load-time-weaving execution of the pom",
)
class WovenFlowRefusalTests {

    class WovenCatalogue {
        @Retryable
        suspend fun itemsLater(): Flow<Int> = flowOf(1, 2)
    }

    @Test
    fun `a woven suspend function that returns a Flow is refused at start-up`() {
        ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(RetryAutoConfiguration::class.java, RetryAspectAutoConfiguration::class.java),
            )
            .withPropertyValues("retry.mode=aspectj")
            .withBean(WovenCatalogue::class.java)
            .run { context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidRetryAnnotationException::class.java)
                    .hasMessageContaining("WovenCatalogue.itemsLater(): it returns a kotlinx.coroutines.flow.Flow")
                    .hasMessageContaining("Return a Flux instead")
            }
    }
}
