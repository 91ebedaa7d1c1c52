package dev.retry.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Answers a failed call with another method of the same bean: one with the same parameters,
 * optionally followed by one exception parameter, returning something assignable to the original's
 * return type. Among several such methods, the one whose exception parameter most specifically
 * matches the failure is chosen.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Fallback {

    /** The name of the fallback method. */
    String value();

    /** The failures the fallback answers; empty means every {@link Exception}. */
    Class<? extends Throwable>[] on() default {};
}
