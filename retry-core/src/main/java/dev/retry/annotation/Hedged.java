package dev.retry.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends the call again if it has not answered within the hedge delay, and takes whichever answer
 * comes first: a cure for slow tails. Only for calls that are safe to make twice.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Hedged {

    /** The policy under {@code retry.hedges}; {@code ""} means {@code default}. */
    String value() default "";

    /** The hedge delay ({@code "150ms"}, or a percentile such as {@code "p95"}), overriding the policy's; {@code ""} keeps it. */
    String delay() default "";

    /** Extra attempts beyond the first, overriding the policy's {@code max-hedges}; -1 keeps it. */
    int maxHedges() default -1;
}
