package dev.retry.spring;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.RetryEvent;
import dev.retry.core.RetryListener;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import dev.retry.spring.registry.PolicyListeners;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.AopTestUtils;

/**
 * What the {@code *ContractTests} share. They check the public contract (CONTRACT.md) from outside,
 * as a user meets it: annotated beans in an application context, YAML keys, meters and the actuator
 * endpoint. Each covers a promise that no other test of the starter checks through the annotations.
 */
final class ContractChecks {

    /** Threads for callers running beside the test's own: daemons, so that nothing has to stop them. */
    static final ExecutorService CALLERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "contract-caller");
        thread.setDaemon(true);
        return thread;
    });

    private ContractChecks() {}

    /**
     * The starter with its meters. Beans carry several names; each test configures those it is
     * about, and the rest fall back to {@code default}, which retries at once.
     */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RetryAutoConfiguration.class,
                        RetryMetricsAutoConfiguration.class,
                        TaskExecutionAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues(
                        "retry.strict-names=false",
                        "retry.policies.default.delay=0ms",
                        "retry.policies.default.jitter=none");
    }

    static <T> T target(T proxy) {
        return AopTestUtils.getUltimateTargetObject(proxy);
    }

    /** The count of every counter of that name with those tags, summed over the tags not given (such as {@code exception}). */
    static double counter(MeterRegistry meters, String name, String... tags) {
        return meters.get(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * What each retry policy decided, as its listener hears it: the delay before every retry and why
     * each call stopped. Declared as a bean, it lets a test check the delays a policy chose rather
     * than time them, which a busy machine can stretch at will.
     */
    static final class RecordedRetries implements PolicyListeners {

        private final Map<String, List<Duration>> delays = new ConcurrentHashMap<>();
        private final Map<String, List<RetryEvent.Reason>> stops = new ConcurrentHashMap<>();

        @Override
        public RetryListener retryListener(String name) {
            return new RetryListener() {
                @Override
                public void onRetry(RetryEvent event) {
                    delaysOf(name).add(event.delay());
                }

                @Override
                public void onFailure(RetryEvent event) {
                    stopsOf(name).add(event.reason());
                }
            };
        }

        /** The delays before the retries of policy {@code name}, in order. */
        List<Duration> delaysOf(String name) {
            return delays.computeIfAbsent(name, unused -> new CopyOnWriteArrayList<>());
        }

        /** Why the failed calls of policy {@code name} stopped, in order. */
        List<RetryEvent.Reason> stopsOf(String name) {
            return stops.computeIfAbsent(name, unused -> new CopyOnWriteArrayList<>());
        }

        void clear() {
            delays.clear();
            stops.clear();
        }
    }

    /** Waits for the latch; the 30 s only turn a hang into a failure, however slow a loaded machine is. */
    static void awaitOpen(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(30, SECONDS)).as("latch opened in time").isTrue();
    }
}
