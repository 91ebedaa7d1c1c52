package dev.retry.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries the method as the named policy of {@code retry.policies} says: how many attempts, which
 * failures, what backoff, what budget.
 *
 * <pre>{@code
 * @Retryable("inventory")
 * public Stock stock(String sku) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retryable {

    /** The policy under {@code retry.policies}; {@code ""} means {@code default}. */
    String value() default "";

    /** Total attempts, the first included, overriding the policy's {@code max-attempts}; -1 keeps it. */
    int maxAttempts() default -1;

    /** Failures to retry, overriding the policy's {@code retry-on}; empty keeps it. */
    Class<? extends Throwable>[] retryOn() default {};

    /** Failures never to retry, overriding the policy's {@code abort-on}; empty keeps it. */
    Class<? extends Throwable>[] abortOn() default {};
}
