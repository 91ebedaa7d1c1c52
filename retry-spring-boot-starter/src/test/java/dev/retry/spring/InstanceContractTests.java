package dev.retry.spring;

import static dev.retry.spring.ContractChecks.CALLERS;
import static dev.retry.spring.ContractChecks.awaitOpen;
import static dev.retry.spring.ContractChecks.target;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.CircuitOpenException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Class-level annotations, and which calls share one breaker or bulkhead: one per name, one per
 * method when unnamed.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class InstanceContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

    @Retryable("thrice")
    static class ClassLevel {

        final AtomicInteger plain = new AtomicInteger();
        final AtomicInteger five = new AtomicInteger();
        final AtomicInteger guarded = new AtomicInteger();

        public String plain() throws IOException {
            plain.incrementAndGet();
            throw new IOException("plain");
        }

        @Retryable(maxAttempts = 5)
        public String five() throws IOException {
            five.incrementAndGet();
            throw new IOException("five");
        }

        @CircuitBreaker("classcb")
        public String guarded() throws IOException {
            guarded.incrementAndGet();
            throw new IOException("down " + guarded.get());
        }
    }

    @Test
    void aClassLevelAnnotationCoversEveryPublicMethodAMethodsOwnWinsAndOtherTypesCombine() {
        runner.withBean(ClassLevel.class)
                .withPropertyValues(
                        "retry.policies.thrice.max-attempts=3",
                        "retry.circuit-breakers.classcb.minimum-calls=2",
                        "retry.circuit-breakers.classcb.window-size=2")
                .run(context -> {
                    ClassLevel bean = context.getBean(ClassLevel.class);
                    assertThatThrownBy(bean::plain).isInstanceOf(IOException.class);
                    assertThat(target(bean).plain).hasValue(3);
                    assertThatThrownBy(bean::five).isInstanceOf(IOException.class);
                    assertThat(target(bean).five)
                            .as("the method's own @Retryable wins")
                            .hasValue(5);
                    assertThatThrownBy(bean::guarded)
                            .as("the breaker opened on the second attempt; the third was refused")
                            .isExactlyInstanceOf(CircuitOpenException.class)
                            .hasMessageContaining("classcb")
                            .hasMessageContaining("lets trial calls through in")
                            .satisfies(refused -> assertThat(((CircuitOpenException) refused).permitsAgainIn())
                                    .isPresent());
                    assertThat(target(bean).guarded).hasValue(2);
                });
    }

    @Test
    void aFailureAfterRetriesKeepsTheEarlierAttemptsFailuresEvenWhenTheLastIsTheBreakersRefusal() {
        runner.withBean(ClassLevel.class)
                .withPropertyValues(
                        "retry.policies.thrice.max-attempts=3",
                        "retry.circuit-breakers.classcb.minimum-calls=2",
                        "retry.circuit-breakers.classcb.window-size=2")
                .run(context -> {
                    ClassLevel bean = context.getBean(ClassLevel.class);
                    Throwable refused = catchThrowable(bean::guarded);
                    assertThat(refused).isExactlyInstanceOf(CircuitOpenException.class);
                    assertThat(refused.getSuppressed())
                            .extracting(Throwable::getMessage)
                            .containsExactly("down 1", "down 2");
                });
    }

    @CircuitBreaker
    static class OwnBreakers {

        public String a() throws IOException {
            throw new IOException("a down");
        }

        public String b() {
            return "b";
        }

        @CircuitBreaker("shared")
        public String c() throws IOException {
            throw new IOException("c down");
        }

        @CircuitBreaker("shared")
        public String d() {
            return "d";
        }
    }

    @Test
    void anUnnamedBreakerBelongsToItsMethodAndANamedOneIsSharedByEveryMethodThatNamesIt() {
        runner.withBean(OwnBreakers.class)
                .withPropertyValues(
                        "retry.circuit-breakers.default.minimum-calls=1", "retry.circuit-breakers.shared.window-size=5")
                .run(context -> {
                    OwnBreakers breakers = context.getBean(OwnBreakers.class);
                    assertThatThrownBy(breakers::a).isInstanceOf(IOException.class);
                    assertThatThrownBy(breakers::a).isInstanceOf(CircuitOpenException.class);
                    assertThat(breakers.b()).as("b has a breaker of its own").isEqualTo("b");
                    assertThatThrownBy(breakers::c).isInstanceOf(IOException.class);
                    assertThatThrownBy(breakers::d)
                            .as("d shares c's breaker")
                            .isInstanceOf(CircuitOpenException.class)
                            .hasMessageContaining("'shared'");
                    String own = OwnBreakers.class.getName() + ".";
                    assertThat(breakerNames(context.getBean(MeterRegistry.class)))
                            .as("one breaker per method, no other")
                            .containsExactlyInAnyOrder("default", "shared", own + "a()", own + "b()");
                });
    }

    private static Set<String> breakerNames(MeterRegistry meters) {
        return meters.find("circuitbreaker.state").gauges().stream()
                .map(gauge -> gauge.getId().getTag("name"))
                .collect(java.util.stream.Collectors.toSet());
    }

    static class OwnBulkheads {

        final CountDownLatch entered = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);

        private String hold(String name) throws InterruptedException {
            entered.countDown();
            release.await(30, SECONDS);
            return name;
        }

        @Bulkhead
        public String a() throws InterruptedException {
            return hold("a");
        }

        @Bulkhead
        public String b() {
            return "b";
        }

        @Bulkhead("inherited")
        public String c() throws InterruptedException {
            return hold("c");
        }
    }

    @Test
    void anUnnamedBulkheadBelongsToItsMethodAndANamedEntryInheritsFromDefault() {
        runner.withBean(OwnBulkheads.class)
                .withPropertyValues(
                        "retry.bulkheads.default.max-concurrent-calls=1", "retry.bulkheads.inherited.max-wait=0s")
                .run(context -> {
                    OwnBulkheads bulkheads = context.getBean(OwnBulkheads.class);
                    Future<String> a = CALLERS.submit(bulkheads::a);
                    Future<String> c = CALLERS.submit(bulkheads::c);
                    awaitOpen(target(bulkheads).entered);
                    assertThat(bulkheads.b()).as("b has a bulkhead of its own").isEqualTo("b");
                    assertThatThrownBy(bulkheads::a).isInstanceOf(BulkheadFullException.class);
                    assertThatThrownBy(bulkheads::c)
                            .as("the limit of 1 inherited from default")
                            .isInstanceOf(BulkheadFullException.class)
                            .hasMessageContaining("'inherited'")
                            .hasMessageContaining("1 concurrent call");
                    target(bulkheads).release.countDown();
                    assertThat(a.get(30, SECONDS)).isEqualTo("a");
                    assertThat(c.get(30, SECONDS)).isEqualTo("c");
                    String own = OwnBulkheads.class.getName() + ".";
                    assertThat(context.getBean(MeterRegistry.class)
                                    .find("bulkhead.concurrent.calls")
                                    .gauges())
                            .extracting(gauge -> gauge.getId().getTag("name"))
                            .as("one bulkhead per method, no other")
                            .containsExactlyInAnyOrder("default", "inherited", own + "a()", own + "b()");
                });
    }
}
