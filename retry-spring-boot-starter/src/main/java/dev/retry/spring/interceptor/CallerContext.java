package dev.retry.spring.interceptor;

import dev.retry.core.CheckedFunction;
import java.util.Map;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * A call whose attempts may run on other threads (hedges, asynchronous retries), with the caller's
 * context taken when the call starts and put in place around every attempt, whichever thread runs
 * it and whoever submitted it: SLF4J's MDC (trace and request ids in the logs) and, with Micrometer's
 * context-propagation library present, the current observation and span.
 */
final class CallerContext {

    private static final boolean MDC_PRESENT =
            ClassUtils.isPresent("org.slf4j.MDC", CallerContext.class.getClassLoader());
    private static final boolean CONTEXT_PROPAGATION_PRESENT =
            ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory", CallerContext.class.getClassLoader());

    /** Runs one attempt of the call in the caller's context. */
    static final CheckedFunction<CallerContext, Object, Throwable> ATTEMPT = CallerContext::attempt;

    final MethodInvocation invocation;
    private final CheckedFunction<MethodInvocation, Object, Throwable> attempt;
    private final Map<String, String> logContext;
    private final ThreadContext threadContext;

    private CallerContext(MethodInvocation invocation, CheckedFunction<MethodInvocation, Object, Throwable> attempt) {
        this.invocation = invocation;
        this.attempt = attempt;
        this.logContext = MDC_PRESENT ? MDC.getCopyOfContextMap() : null;
        this.threadContext = CONTEXT_PROPAGATION_PRESENT ? ThreadContext.capture() : null;
    }

    static CallerContext capture(
            MethodInvocation invocation, CheckedFunction<MethodInvocation, Object, Throwable> attempt) {
        return new CallerContext(invocation, attempt);
    }

    /** The invocation behind an argument the pipeline hands on: a plain one, or one with its context. */
    static MethodInvocation invocationOf(Object argument) {
        return argument instanceof CallerContext context ? context.invocation : (MethodInvocation) argument;
    }

    Object attempt() throws Throwable {
        if (threadContext == null) {
            return attemptWithLogContext();
        }
        AutoCloseable scope = threadContext.restore();
        try {
            return attemptWithLogContext();
        } finally {
            scope.close();
        }
    }

    private Object attemptWithLogContext() throws Throwable {
        if (!MDC_PRESENT) {
            return attempt.apply(invocation);
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        setLogContext(logContext);
        try {
            return attempt.apply(invocation);
        } finally {
            setLogContext(previous);
        }
    }

    private static void setLogContext(Map<String, String> context) {
        if (context != null) {
            MDC.setContextMap(context);
        } else {
            MDC.clear();
        }
    }
}
