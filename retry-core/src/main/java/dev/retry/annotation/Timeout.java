package dev.retry.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Limits how long each attempt of the method may take. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {

    /** The entry under {@code retry.timeouts}; {@code ""} means {@code default}. */
    String value() default "";

    /** The limit ({@code "500ms"}, {@code "2s"}), overriding the entry's {@code duration}; {@code ""} keeps it. */
    String duration() default "";
}
