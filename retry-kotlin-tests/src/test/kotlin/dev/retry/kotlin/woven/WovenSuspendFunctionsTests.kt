package dev.retry.kotlin.woven

import dev.retry.core.AttemptTimeoutException
import dev.retry.core.BulkheadFullException
import dev.retry.core.CircuitOpenException
import dev.retry.core.CircuitState
import dev.retry.kotlin.advanceOnceScheduled
import dev.retry.kotlin.onOneThread
import dev.retry.kotlin.untilTrue
import dev.retry.test.VirtualClock
import dev.retry.test.spring.RetryTestKit
import dev.retry.test.spring.VirtualTime
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import java.io.IOException
import java.time.Duration
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.slf4j.MDCContext
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.condition.EnabledIfSystemProperty
import org.springframework.aop.support.AopUtils
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.SpringBootConfiguration
import org.springframework.boot.autoconfigure.EnableAutoConfiguration
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.context.annotation.Bean

/**
 * The six annotations on woven `suspend` functions, with `retry.mode: aspectj`: the same behaviour
 * as through Spring's proxy (see `SuspendFunctionsTests`), with the policies on the virtual clock.
 * Runs in the pom's load-time-weaving execution, whose agent weaves this package as it loads; the
 * woven bytecode is what ajc writes at compile time too.
 */
@SpringBootTest(
    classes = [WovenSuspendFunctionsTests.Application::class],
    properties = [
        "retry.mode=aspectj",
        "retry.policies.inventory.max-attempts=3",
        "retry.policies.inventory.delay=1s",
        "retry.policies.inventory.jitter=none",
        "retry.circuit-breakers.inventory.window-size=4",
        "retry.circuit-breakers.inventory.minimum-calls=4",
        "retry.circuit-breakers.inventory.open-duration=1h",
        "retry.timeouts.inventory.duration=200ms",
        "retry.hedges.inventory.delay=100ms",
        "retry.bulkheads.inventory.max-concurrent-calls=1",
        "retry.bulkheads.inventory.max-wait=0s",
    ],
)
@VirtualTime
@EnabledIfSystemProperty(
    named = "retry.test.weaving-agent",
    matches = "true",
    disabledReason = "needs -javaagent:aspectjweaver.jar: runs in the load-time-weaving execution of the pom",
)
class WovenSuspendFunctionsTests {

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    class Application {
        @Bean
        fun meterRegistry(): MeterRegistry = SimpleMeterRegistry()

        @Bean
        fun wovenInventory() = WovenInventory()

        @Bean
        fun openWovenInventory() = OpenWovenInventory()
    }

    @Autowired
    lateinit var inventory: WovenInventory

    @Autowired
    lateinit var openInventory: OpenWovenInventory

    @Autowired
    lateinit var retry: RetryTestKit

    @Autowired
    lateinit var meters: MeterRegistry

    @Autowired
    lateinit var clock: VirtualClock

    private suspend fun advance(duration: Duration) = retry.advanceOnceScheduled(clock, duration)

    @Test
    fun `the bean is woven, not proxied`() {
        assertThat(AopUtils.isAopProxy(inventory)).isFalse()
        assertThat(WovenInventory::class.java.declaredFields.map { it.name }).anyMatch { it.startsWith("ajc\$tjp_") }
    }

    @Test
    fun `a woven suspend function is retried, suspending the caller, with RetryContext in each attempt`(): Unit =
        onOneThread {
            val call = async { inventory.stock("A-1") }
            untilTrue { inventory.callsOf("A-1") == 1 }
            assertThat(inventory.answersAtOnce("B-1"))
                .describedAs("another call on the same and only thread, while the first waits out its backoff")
                .isEqualTo(1)
            advance(Duration.ofSeconds(1))
            untilTrue { inventory.callsOf("A-1") == 2 }
            advance(Duration.ofSeconds(2))
            assertThat(call.await()).isEqualTo(7)
            assertThat(inventory.attemptsSeen.filter { it.startsWith("A-1 ") }).containsExactly("A-1 1", "A-1 2", "A-1 3")
            assertThat(retry.attemptsPerCall("inventory")).contains(3)
        }

    @Test
    fun `a call from inside the object is retried too`(): Unit = onOneThread {
        val call = async { inventory.restock("A-2") }
        untilTrue { inventory.callsOf("A-2") == 1 }
        advance(Duration.ofSeconds(1))
        untilTrue { inventory.callsOf("A-2") == 2 }
        advance(Duration.ofSeconds(2))
        assertThat(call.await()).isEqualTo(8)
    }

    @Test
    fun `an open suspend function is intercepted once, not again in its suspendImpl twin`(): Unit = onOneThread {
        val call = async { openInventory.stock("A-3") }
        untilTrue { openInventory.attempts.get() == 1 }
        advance(Duration.ofSeconds(1))
        untilTrue { openInventory.attempts.get() == 2 }
        advance(Duration.ofSeconds(2))
        assertThat(call.await()).isEqualTo(7)
        assertThat(openInventory.attempts).hasValue(3)
    }

    @Test
    fun `a suspend function that answers null answers null`(): Unit = onOneThread {
        assertThat(inventory.nothing("N-1")).isNull()
        assertThat(inventory.callsOf("N-1")).isEqualTo(1)
    }

    @Test
    fun `a call that never succeeds throws the last attempt's own exception`(): Unit = onOneThread {
        val call = async { runCatching { inventory.neverAnswers("C-1") } }
        untilTrue { inventory.callsOf("C-1") == 1 }
        advance(Duration.ofSeconds(1))
        untilTrue { inventory.callsOf("C-1") == 2 }
        advance(Duration.ofSeconds(2))
        val failure = call.await().exceptionOrNull()
        assertThat(failure).isInstanceOf(IOException::class.java).hasMessage("attempt 3 of C-1")
        // kotlinx.coroutines' debug mode (on with -ea) may rethrow a copy whose cause is the one thrown.
        val thrown = if (failure!!.suppressed.isEmpty()) failure.cause else failure
        assertThat(thrown!!.suppressed.map { "${it.javaClass.simpleName}: ${it.message}" })
            .containsExactly("IllegalStateException: attempt 1 of C-1", "IOException: attempt 2 of C-1")
    }

    @Test
    fun `cancelling the caller while an attempt runs cancels that attempt and starts no other`(): Unit =
        onOneThread {
            val call = async { inventory.waitsForEver("D-2") }
            untilTrue { inventory.callsOf("D-2") == 1 }
            call.cancel()
            untilTrue { inventory.cancelled.contains("D-2") }
            retry.advance(Duration.ofMinutes(10))
            repeat(20) { yield() }
            assertThat(inventory.callsOf("D-2")).describedAs("attempts after the cancellation").isEqualTo(1)
            assertThat(clock.pendingTasks()).describedAs("retries still scheduled").isZero()
            assertThat(call.isCancelled).isTrue()
        }

    @Test
    fun `cancelling the caller during a backoff stops the retrying`(): Unit = onOneThread {
        val call = async { inventory.stock("D-1") }
        untilTrue { inventory.callsOf("D-1") == 1 }
        untilTrue { clock.pendingTasks() > 0 }
        call.cancel()
        retry.advance(Duration.ofMinutes(10))
        repeat(20) { yield() }
        assertThat(inventory.callsOf("D-1")).describedAs("attempts after the cancellation").isEqualTo(1)
    }

    @Test
    fun `a suspend fallback answers once the retries are spent`(): Unit = onOneThread {
        val call = async { inventory.withFallback("F-1") }
        untilTrue { inventory.callsOf("F-1") == 1 }
        advance(Duration.ofSeconds(1))
        untilTrue { inventory.callsOf("F-1") == 2 }
        advance(Duration.ofSeconds(2))
        assertThat(call.await()).isEqualTo("cached F-1 after F-1 is down")
    }

    @Test
    fun `a breaker opens on failing suspend calls and then refuses them`(): Unit = runBlocking {
        repeat(4) {
            assertThatThrownBy { runBlocking { inventory.guarded("E-1") } }.isInstanceOf(IOException::class.java)
        }
        assertThat(retry.breaker("inventory").state()).isEqualTo(CircuitState.OPEN)
        assertThatThrownBy { runBlocking { inventory.guarded("E-1") } }.isInstanceOf(CircuitOpenException::class.java)
        assertThat(inventory.callsOf("E-1")).isEqualTo(4)
    }

    @Test
    fun `a timeout cancels the suspended attempt and fails the call`(): Unit = onOneThread {
        val call = async { runCatching { inventory.hangs("G-1") } }
        untilTrue { inventory.callsOf("G-1") == 1 }
        advance(Duration.ofMillis(200))
        assertThat(call.await().exceptionOrNull()).isInstanceOf(AttemptTimeoutException::class.java)
        untilTrue { inventory.cancelled.contains("G-1") }
        assertThat(meters.get("timeout.calls").tags("name", "inventory", "outcome", "timeout").counter().count())
            .isEqualTo(1.0)
    }

    @Test
    fun `a hedge overtakes a slow attempt, which is cancelled`(): Unit = onOneThread {
        val call = async { inventory.search("H-1") }
        untilTrue { inventory.callsOf("H-1") == 1 }
        advance(Duration.ofMillis(100))
        assertThat(call.await()).isEqualTo("hedge")
        untilTrue { inventory.cancelled.contains("H-1") }
    }

    @Test
    fun `a full bulkhead refuses a second concurrent suspend call at once`(): Unit = onOneThread {
        val gate = CompletableDeferred<Unit>()
        val first = async(start = CoroutineStart.UNDISPATCHED) { inventory.limited(gate) }
        assertThatThrownBy { runBlocking { inventory.limited(CompletableDeferred(Unit)) } }
            .isInstanceOf(BulkheadFullException::class.java)
        gate.complete(Unit)
        assertThat(first.await()).isEqualTo("done")
    }

    @Test
    fun `the caller's MDC reaches every attempt through the coroutine context`(): Unit = onOneThread {
        val call = async {
            withContext(MDCContext(mapOf("request" to "r-42"))) { inventory.requestIdSeen("I-1") }
        }
        untilTrue { inventory.callsOf("I-1") == 1 }
        advance(Duration.ofSeconds(1))
        assertThat(call.await()).describedAs("MDC in the second attempt").isEqualTo("r-42")
    }
}
