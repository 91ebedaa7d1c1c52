package dev.retry.spring.interceptor;

import dev.retry.core.CheckedFunction;
import dev.retry.spring.observation.CallObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * A call whose attempts may run on other threads (hedges, asynchronous retries), with the caller's
 * context taken when the call starts and put in place around every attempt, whichever thread runs
 * it and whoever submitted it: SLF4J's MDC (trace and request ids in the logs) and, with Micrometer's
 * context-propagation library present, the current observation and span.
 *
 * <p>An observed call's attempt is made current innermost, after the caller's context is in place,
 * so that spans the method starts are children of the attempt and the tracer's ids in the MDC are
 * the attempt's.
 */
final class CallerContext {

    private static final boolean MDC_PRESENT =
            ClassUtils.isPresent("org.slf4j.MDC", CallerContext.class.getClassLoader());
    static final boolean CONTEXT_PROPAGATION_PRESENT =
            ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory", CallerContext.class.getClassLoader());

    /** Runs one attempt of the call in the caller's context. */
    static final CheckedFunction<CallerContext, Object, Throwable> ATTEMPT = CallerContext::attempt;

    final MethodInvocation invocation;
    private final CheckedFunction<MethodInvocation, Object, Throwable> attempt;
    private final Map<String, String> logContext;
    private final ThreadContext threadContext;
    private final @Nullable CallObserver observer;

    private CallerContext(
            MethodInvocation invocation,
            CheckedFunction<MethodInvocation, Object, Throwable> attempt,
            Map<String, String> logContext,
            ThreadContext threadContext,
            @Nullable CallObserver observer) {
        this.invocation = invocation;
        this.attempt = attempt;
        this.logContext = logContext;
        this.threadContext = threadContext;
        this.observer = observer;
    }

    static CallerContext capture(
            MethodInvocation invocation, CheckedFunction<MethodInvocation, Object, Throwable> attempt) {
        return new CallerContext(
                invocation,
                attempt,
                MDC_PRESENT ? MDC.getCopyOfContextMap() : null,
                CONTEXT_PROPAGATION_PRESENT ? ThreadContext.capture() : null,
                null);
    }

    /** The same call and captured context, with every invocation of the method told to {@code observer}. */
    CallerContext observedBy(CallObserver observer) {
        return new CallerContext(invocation, attempt, logContext, threadContext, observer);
    }

    /** The invocation behind an argument the pipeline hands on: a plain one, or one with its context. */
    static MethodInvocation invocationOf(Object argument) {
        return argument instanceof CallerContext context ? context.invocation : (MethodInvocation) argument;
    }

    /** Makes one synchronous attempt in the caller's context. */
    Object attempt() throws Throwable {
        return inCallerContext(null);
    }

    /**
     * Makes one asynchronous attempt in the caller's context: invokes the method and turns what it
     * returned into a stage with {@code adapter} (subscribing to a publisher, say) while the context
     * is in place. Never throws: a failure fails the stage.
     */
    @SuppressWarnings("unchecked")
    <T> CompletionStage<T> attemptStage(StageAdapter<T> adapter) {
        try {
            return (CompletionStage<T>) inCallerContext(adapter);
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /** Turns what the method returned into the stage an asynchronous attempt is. */
    @FunctionalInterface
    interface StageAdapter<T> {
        CompletionStage<T> toStage(Object returned) throws Throwable;
    }

    private Object inCallerContext(@Nullable StageAdapter<?> adapter) throws Throwable {
        if (threadContext == null) {
            return withLogContext(adapter);
        }
        AutoCloseable scope = threadContext.restore();
        try {
            return withLogContext(adapter);
        } finally {
            scope.close();
        }
    }

    private Object withLogContext(@Nullable StageAdapter<?> adapter) throws Throwable {
        if (!MDC_PRESENT) {
            return invoke(adapter);
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        setLogContext(logContext);
        try {
            return invoke(adapter);
        } finally {
            setLogContext(previous);
        }
    }

    private Object invoke(@Nullable StageAdapter<?> adapter) throws Throwable {
        CallObserver watching = observer;
        if (watching == null) {
            Object returned = attempt.apply(invocation);
            return adapter == null ? returned : adapter.toStage(returned);
        }
        Object observed = watching.invocationStarted();
        if (adapter == null) {
            Throwable failure = null;
            try {
                return attempt.apply(invocation);
            } catch (Throwable thrown) {
                failure = thrown;
                throw thrown;
            } finally {
                watching.invocationLeft(observed);
                watching.invocationEnded(observed, failure);
            }
        }
        CompletionStage<?> stage;
        try {
            stage = adapter.toStage(attempt.apply(invocation));
        } catch (Throwable thrown) {
            stage = CompletableFuture.failedFuture(thrown);
        } finally {
            watching.invocationLeft(observed);
        }
        // Whoever waits for the stage (a hedge deciding its winner) hears of its end only after the
        // observer has, so that the invocation ends before the attempt it belongs to.
        return ObservedCalls.after(
                stage.toCompletableFuture(), (value, failure) -> watching.invocationEnded(observed, failure));
    }

    private static void setLogContext(Map<String, String> context) {
        if (context != null) {
            MDC.setContextMap(context);
        } else {
            MDC.clear();
        }
    }
}
