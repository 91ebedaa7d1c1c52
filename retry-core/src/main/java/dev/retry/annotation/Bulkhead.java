package dev.retry.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits how many calls of the method run at once. Methods that name the same bulkhead share its
 * permits.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Bulkhead {

    /**
     * The bulkhead under {@code retry.bulkheads}; {@code ""} gives the method a bulkhead of its own,
     * configured as {@code default}.
     */
    String value() default "";
}
