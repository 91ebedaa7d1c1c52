package dev.retry.spring;

import static dev.retry.spring.ContractChecks.counter;
import static dev.retry.spring.ContractChecks.millisSince;
import static dev.retry.spring.ContractChecks.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.RetryEvent;
import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import dev.retry.spring.ContractChecks.RecordedRetries;
import dev.retry.spring.registry.PolicyTime;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;

/**
 * The YAML keys reaching the calls: inheritance from {@code default}, strict names, HTTP statuses and
 * {@code Retry-After}, adaptive retry.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class YamlContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

    static class Configured {

        final AtomicInteger calls = new AtomicInteger();

        @Retryable("orders")
        public String orders() throws IOException {
            calls.incrementAndGet();
            throw new IOException("orders");
        }

        @Retryable("budgeted")
        public String budgeted() throws IOException {
            calls.incrementAndGet();
            throw new IOException("budgeted");
        }

        @Retryable("bounded")
        public String bounded() throws IOException {
            calls.incrementAndGet();
            throw new IOException("bounded");
        }

        @Retryable("fixed")
        public String fixed() throws IOException {
            calls.incrementAndGet();
            throw new IOException("fixed");
        }

        @Retryable("narrow")
        public String narrow(Exception failure) throws Exception {
            calls.incrementAndGet();
            throw failure;
        }
    }

    @Test
    void aNamedPolicyInheritsUnsetKeysFromDefault() {
        runner.withBean(Configured.class)
                .withPropertyValues("retry.policies.default.max-attempts=5", "retry.policies.orders.jitter=none")
                .run(context -> {
                    Configured configured = context.getBean(Configured.class);
                    assertThatThrownBy(configured::orders).isInstanceOf(IOException.class);
                    assertThat(target(configured).calls).hasValue(5);
                });
    }

    @Test
    void budgetMaxDurationBackoffRetryOnAndAbortOnFromTheYamlGovernTheCalls() {
        // Every backoff is still slept for real, and recorded on the way: "nothing was slept" says
        // the 10 s delay was not waited out without timing the call, which a busy machine stretches.
        List<Duration> slept = new CopyOnWriteArrayList<>();
        Sleeper recording = nanos -> {
            slept.add(Duration.ofNanos(nanos));
            Sleeper.system().sleep(nanos);
        };
        runner.withBean(Configured.class)
                .withBean(RecordedRetries.class)
                .withBean(PolicyTime.class, () -> new PolicyTime(Ticker.system(), recording, Scheduler.system()))
                .withPropertyValues(
                        "retry.policies.budgeted.budget.ratio=0.1",
                        "retry.policies.budgeted.budget.min-retries-per-second=0",
                        "retry.policies.bounded.delay=10s",
                        "retry.policies.bounded.max-duration=100ms",
                        "retry.policies.fixed.backoff=fixed",
                        "retry.policies.fixed.delay=100ms",
                        "retry.policies.narrow.retry-on=java.io.IOException",
                        "retry.policies.narrow.abort-on=java.io.FileNotFoundException")
                .run(context -> {
                    Configured configured = context.getBean(Configured.class);
                    AtomicInteger calls = target(configured).calls;
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    RecordedRetries retries = context.getBean(RecordedRetries.class);

                    assertThatThrownBy(configured::budgeted).isInstanceOf(IOException.class);
                    assertThat(calls).as("the budget refused the retry").hasValue(1);
                    assertThat(counter(meters, "retry.budget.exhausted", "name", "budgeted"))
                            .isEqualTo(1);

                    calls.set(0);
                    slept.clear();
                    long start = System.nanoTime();
                    assertThatThrownBy(configured::bounded).isInstanceOf(IOException.class);
                    assertThat(calls).as("no retry starts past max-duration").hasValue(1);
                    assertThat(retries.stopsOf("bounded")).containsExactly(RetryEvent.Reason.MAX_DURATION);
                    assertThat(retries.delaysOf("bounded"))
                            .as("no retry was scheduled")
                            .isEmpty();
                    assertThat(slept).as("nor is the 10 s delay waited out").isEmpty();
                    assertThat(millisSince(start))
                            .as("not even partly: the call took less than the delay")
                            .isLessThan(10_000);

                    calls.set(0);
                    slept.clear();
                    start = System.nanoTime();
                    assertThatThrownBy(configured::fixed).isInstanceOf(IOException.class);
                    assertThat(calls).hasValue(3);
                    assertThat(retries.delaysOf("fixed"))
                            .as("two fixed delays, not growing")
                            .containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
                    assertThat(slept).as("both slept").containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
                    assertThat(millisSince(start))
                            .as("and both were waited out")
                            .isGreaterThanOrEqualTo(190L);

                    calls.set(0);
                    assertThatThrownBy(() -> configured.narrow(new IllegalStateException("not listed")))
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(calls).as("retry-on narrows").hasValue(1);
                    calls.set(0);
                    assertThatThrownBy(() ->
                                    configured.narrow(new IllegalStateException(new java.net.SocketException("x"))))
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(calls).as("the cause chain matches").hasValue(3);
                    calls.set(0);
                    assertThatThrownBy(() -> configured.narrow(new FileNotFoundException("abort")))
                            .isInstanceOf(FileNotFoundException.class);
                    assertThat(calls).as("abort-on wins over retry-on").hasValue(1);
                });
    }

    static class UnknownBreaker {

        @CircuitBreaker("nope")
        public String call() {
            return "x";
        }
    }

    static class UnknownHedge {

        @Hedged("nope")
        public String call() {
            return "x";
        }
    }

    static class UnknownTimeout {

        @Timeout("nope")
        public String call() {
            return "x";
        }
    }

    @Test
    void everySectionRefusesAnUnconfiguredNameUnlessStrictNamesIsOff() {
        List<Object[]> cases = List.of(
                new Object[] {UnknownBreaker.class, "retry.circuit-breakers.nope"},
                new Object[] {UnknownHedge.class, "retry.hedges.nope"},
                new Object[] {UnknownTimeout.class, "retry.timeouts.nope"});
        for (Object[] each : cases) {
            Class<?> type = (Class<?>) each[0];
            runner.withBean(type).withPropertyValues("retry.strict-names=true").run(context -> {
                assertThat(context).hasFailed();
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageContaining(type.getSimpleName() + ".call()")
                        .hasMessageContaining((String) each[1])
                        .hasMessageContaining("not configured");
            });
            runner.withBean(type).withPropertyValues("retry.strict-names=false").run(context -> {
                assertThat(context).hasNotFailed();
                Object bean = context.getBean(type);
                assertThat(bean.getClass().getMethod("call").invoke(bean)).isEqualTo("x");
            });
        }
    }

    // ---- HTTP statuses and Retry-After ------------------------------------------------------------

    static class Http {

        final AtomicInteger calls = new AtomicInteger();

        private static HttpHeaders retryAfter(String value) {
            HttpHeaders headers = new HttpHeaders();
            if (value != null) {
                headers.set(HttpHeaders.RETRY_AFTER, value);
            }
            return headers;
        }

        static RuntimeException failure(int status, String retryAfter) {
            HttpStatus http = HttpStatus.valueOf(status);
            return http.is4xxClientError()
                    ? HttpClientErrorException.create(
                            http, http.getReasonPhrase(), retryAfter(retryAfter), new byte[0], StandardCharsets.UTF_8)
                    : HttpServerErrorException.create(
                            http, http.getReasonPhrase(), retryAfter(retryAfter), new byte[0], StandardCharsets.UTF_8);
        }

        @Retryable("statuses")
        public String statuses(int status) {
            calls.incrementAndGet();
            throw failure(status, null);
        }

        @Retryable("narrowed")
        public String narrowed(int status) {
            calls.incrementAndGet();
            throw failure(status, null);
        }

        @Retryable("capped")
        public String capped(String retryAfter) {
            if (calls.incrementAndGet() == 1) {
                throw failure(503, retryAfter);
            }
            return "ok";
        }
    }

    @Test
    void httpFailuresAreClassifiedByRetryOnStatusAndOther4xxAreNeverRetried() {
        runner.withBean(Http.class)
                .withPropertyValues(
                        "retry.policies.statuses.retry-on-status=503",
                        "retry.policies.narrowed.retry-on=java.io.IOException")
                .run(context -> {
                    Http http = context.getBean(Http.class);
                    AtomicInteger calls = target(http).calls;
                    for (int[] statusAndAttempts : new int[][] {{503, 3}, {429, 1}, {404, 1}, {501, 3}}) {
                        calls.set(0);
                        assertThatThrownBy(() -> http.statuses(statusAndAttempts[0]))
                                .isInstanceOf(RuntimeException.class);
                        assertThat(calls).as("status %s", statusAndAttempts[0]).hasValue(statusAndAttempts[1]);
                    }
                    for (int[] statusAndAttempts : new int[][] {{503, 3}, {429, 3}, {408, 3}, {400, 1}, {501, 1}}) {
                        calls.set(0);
                        assertThatThrownBy(() -> http.narrowed(statusAndAttempts[0]))
                                .isInstanceOf(RuntimeException.class);
                        assertThat(calls)
                                .as("status %s with retry-on narrowed", statusAndAttempts[0])
                                .hasValue(statusAndAttempts[1]);
                    }
                });
    }

    @Test
    void aRetryAfterSetsTheNextDelayCappedByMaxDelay() {
        runner.withBean(Http.class)
                .withBean(RecordedRetries.class)
                .withPropertyValues("retry.policies.capped.delay=1ms", "retry.policies.capped.max-delay=200ms")
                .run(context -> {
                    Http http = context.getBean(Http.class);
                    RecordedRetries retries = context.getBean(RecordedRetries.class);
                    long start = System.nanoTime();
                    assertThat(http.capped("30")).isEqualTo("ok");
                    assertThat(retries.delaysOf("capped"))
                            .as("30 s asked, capped at 200 ms")
                            .containsExactly(Duration.ofMillis(200));
                    assertThat(millisSince(start)).as("and waited out").isGreaterThanOrEqualTo(190L);
                    target(http).calls.set(0);
                    retries.clear();
                    start = System.nanoTime();
                    String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                                    .plusMinutes(1));
                    assertThat(http.capped(inAMinute)).isEqualTo("ok");
                    assertThat(retries.delaysOf("capped"))
                            .as("an HTTP date a minute ahead is read too, and capped")
                            .containsExactly(Duration.ofMillis(200));
                    assertThat(millisSince(start)).isGreaterThanOrEqualTo(190L);
                });
    }

    // ---- adaptive --------------------------------------------------------------------------------

    static class Dead {

        @Retryable("adaptive")
        public String call() throws IOException {
            throw new IOException("dead");
        }

        @Retryable("steady")
        public String steady() throws IOException {
            throw new IOException("dead");
        }
    }

    @Test
    void anAdaptivePolicyStepsItsLimitDownUnderSustainedFailureAndAPlainOneNeverMoves() {
        // The policies read a clock that moves only when the test moves it, by 100 ms between calls:
        // the contract's "min-attempts within 10 s of sustained failure" is then checked as written,
        // where real time gave a loaded machine 4 s to make enough calls.
        AtomicLong now = new AtomicLong();
        runner.withBean(Dead.class)
                .withBean(PolicyTime.class, () -> new PolicyTime(now::get, Sleeper.system(), Scheduler.system()))
                .withPropertyValues(
                        "retry.policies.adaptive.max-attempts=5",
                        "retry.policies.adaptive.adaptive.enabled=true",
                        "retry.policies.adaptive.adaptive.min-attempts=1",
                        "retry.policies.steady.max-attempts=5")
                .run(context -> {
                    Dead dead = context.getBean(Dead.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(limit(meters, "adaptive")).isEqualTo(5);
                    List<Double> limits = new ArrayList<>();
                    Duration failing = Duration.ZERO;
                    while (failing.compareTo(Duration.ofSeconds(10)) < 0 && limit(meters, "adaptive") > 1) {
                        catchThrowable(dead::call);
                        catchThrowable(dead::steady);
                        limits.add(limit(meters, "adaptive"));
                        now.addAndGet(Duration.ofMillis(100).toNanos());
                        failing = failing.plusMillis(100);
                    }
                    assertThat(limit(meters, "adaptive"))
                            .as("min-attempts after %s of failing calls; the limit call by call: %s", failing, limits)
                            .isEqualTo(1);
                    assertThat(limits).as("stepped down, never up").isSortedAccordingTo(Comparator.reverseOrder());
                    assertThat(limit(meters, "steady")).isEqualTo(5);
                });
    }

    private static double limit(MeterRegistry meters, String policy) {
        return meters.get("retry.attempts.limit").tags("name", policy).gauge().value();
    }
}
