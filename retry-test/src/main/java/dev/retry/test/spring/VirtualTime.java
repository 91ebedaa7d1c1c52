package dev.retry.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.Import;

/**
 * Puts every policy of a {@code @SpringBootTest} on one {@link dev.retry.test.VirtualClock}: backoff
 * delays, {@code Retry-After}, breaker open durations, budget and adaptive windows, hedge delays and
 * timeouts elapse in virtual time, so a call that retries with 2 s delays returns at once and the
 * same way on every run.
 *
 * <p>The test may inject the {@link dev.retry.test.VirtualClock} (to advance it and read the sleeps
 * and delays) and the {@link RetryTestKit} (attempts per call, breaker transitions, forcing and
 * resetting breakers). After each test the breakers are closed and emptied, the clock moves past
 * every sliding window (so budgets start empty) and the records are cleared, so that one test's
 * state does not reach the next even when Spring reuses the context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(VirtualTimeConfiguration.class)
@ExtendWith(VirtualTimeExtension.class)
public @interface VirtualTime {}
