package dev.retry.spring.autoconfigure;

import dev.retry.spring.config.EnumNames;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.config.InvalidRetryConfigurationException.Problem;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * {@code retry.mode}: who intercepts the annotated methods. One of the two, never both, so that no
 * method is handled twice.
 */
public enum RetryMode {
    /** A Spring AOP proxy around each bean that carries an annotation; the default. */
    PROXY,
    /**
     * The aspect of {@code retry-aspectj}, woven into the classes at compile time or load time; the
     * starter then proxies nothing.
     */
    ASPECTJ;

    /** The key, as messages name it. */
    public static final String PROPERTY = "retry.mode";

    /** The aspect that {@link #ASPECTJ} leaves the methods to, named so the starter does not depend on it. */
    static final String ASPECT_CLASS = "dev.retry.aspectj.RetryAspect";

    /** The mode {@code text} names (any case, as enums bind), {@link #PROXY} when none is written, or {@code null}. */
    public static @Nullable RetryMode parse(@Nullable String text) {
        return text == null || text.isBlank() ? PROXY : EnumNames.parse(text, RetryMode.class);
    }

    /** The mode the environment of {@code context} sets; {@code null} when the value names none. */
    static @Nullable RetryMode of(ConditionContext context) {
        return parse(context.getEnvironment().getProperty(PROPERTY));
    }

    /**
     * The mode {@code text} names, checked: a value that names none, or {@code aspectj} without the
     * aspect on the class path, stops the start-up with one message that says what to write.
     *
     * @param classLoader where the aspect is looked for
     * @throws InvalidRetryConfigurationException naming {@code retry.mode}, its value and what is allowed
     */
    static RetryMode checked(@Nullable String text, @Nullable ClassLoader classLoader) {
        RetryMode mode = parse(text);
        if (mode == null) {
            throw new InvalidRetryConfigurationException(
                    List.of(new Problem(PROPERTY, String.valueOf(text), "proxy or aspectj")));
        }
        if (mode == ASPECTJ && !ClassUtils.isPresent(ASPECT_CLASS, classLoader)) {
            throw new InvalidRetryConfigurationException(List.of(new Problem(
                    PROPERTY,
                    String.valueOf(text),
                    "proxy, or aspectj together with the module dev.retry:retry-aspectj woven into the"
                            + " application's classes",
                    "retry-aspectj is not on the class path, so no annotated method would be intercepted")));
        }
        return mode;
    }

    /**
     * Matches unless {@code retry.mode} is {@code aspectj}: a value that names no mode leaves the
     * proxies in place for {@link #checked} to refuse, rather than leaving the methods to nobody.
     */
    static final class NotAspectJ implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return of(context) != ASPECTJ;
        }
    }
}
