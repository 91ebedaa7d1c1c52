package dev.retry.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards the method with a circuit breaker. Methods that name the same breaker share it, so that
 * one dependency has one breaker however many methods call it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CircuitBreaker {

    /**
     * The breaker under {@code retry.circuit-breakers}; {@code ""} gives the method a breaker of its
     * own, configured as {@code default}.
     */
    String value() default "";
}
