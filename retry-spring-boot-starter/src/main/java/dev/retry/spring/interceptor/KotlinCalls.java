package dev.retry.spring.interceptor;

import dev.retry.core.CheckedFunction;
import dev.retry.core.RetryContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import kotlin.coroutines.AbstractCoroutineContextElement;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.ThreadContextElement;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.core.CoroutinesUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.util.ClassUtils;

/**
 * Kotlin {@code suspend} functions, as Spring's proxies hand them to an interceptor: since Spring
 * Framework 6.1 the proxy calls a suspending method through {@code CoroutinesUtils}, so that what the
 * chain of interceptors gets back from each invocation is a {@code Mono}, and turns the chain's
 * answer back into the suspending function's result (awaiting it in the caller's coroutine, whose
 * cancellation cancels the subscription). The starter therefore plans a {@code suspend} function as
 * a {@code Mono} method: retries, hedges and timeouts are scheduled and suspend the caller instead of
 * blocking a thread, and cancelling the caller cancels the attempt in flight.
 *
 * <p>The coroutine of an attempt starts in the caller's coroutine context (its dispatcher, MDC and
 * whatever else it holds, less its job) and runs on the dispatcher's threads, not on the thread that
 * started the attempt. So each attempt's invocation carries, in the context its coroutine starts
 * in, an element that makes the attempt's {@link RetryContext} current (and, with Micrometer's
 * context-propagation library, the attempt's observation) on whichever thread the coroutine runs.
 *
 * <p>Referenced only after {@link #isSuspending} said yes, which needs Kotlin's coroutines with their
 * Reactor bridge on the class path, so the starter never loads Kotlin's classes otherwise.
 */
final class KotlinCalls {

    private static final boolean PRESENT =
            ClassUtils.isPresent("kotlinx.coroutines.reactor.MonoKt", KotlinCalls.class.getClassLoader())
                    && ClassUtils.isPresent("reactor.core.publisher.Mono", KotlinCalls.class.getClassLoader());

    /**
     * Proceeds one attempt of a suspend function on its own copy of the invocation, whose coroutine
     * carries the attempt: a Spring proxy's, or a woven join point's ({@link RepeatableInvocation}).
     * Any other invocation is proceeded as it is.
     */
    static final CheckedFunction<MethodInvocation, Object, Throwable> ATTEMPT = invocation -> {
        if (invocation instanceof ProxyMethodInvocation proxied) {
            return proxied.invocableClone(Coroutines.argumentsCarryingAttempt(proxied))
                    .proceed();
        }
        if (invocation instanceof RepeatableInvocation woven) {
            return woven.proceed(Coroutines.argumentsCarryingAttempt(woven));
        }
        return invocation.proceed();
    };

    /** {@code kotlinx.coroutines.flow.Flow}, when Kotlin's coroutines are on the class path. */
    private static final @Nullable Class<?> FLOW = loadFlow();

    private KotlinCalls() {}

    private static @Nullable Class<?> loadFlow() {
        try {
            return ClassUtils.forName("kotlinx.coroutines.flow.Flow", KotlinCalls.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
    }

    /**
     * Whether {@code method} answers a Kotlin {@code Flow}, directly or, as a {@code suspend}
     * function, through its continuation ({@code Continuation<? super Flow<T>>}, its last parameter,
     * is where the compiler keeps the declared return type).
     */
    static boolean returnsFlow(Method method) {
        if (FLOW == null) {
            return false;
        }
        if (FLOW.isAssignableFrom(method.getReturnType())) {
            return true;
        }
        if (!KotlinDetector.isSuspendingFunction(method)) {
            return false;
        }
        Type[] parameters = method.getGenericParameterTypes();
        if (parameters.length == 0 || !(parameters[parameters.length - 1] instanceof ParameterizedType continuation)) {
            return false;
        }
        Type answered = continuation.getActualTypeArguments()[0];
        if (answered instanceof WildcardType wildcard && wildcard.getLowerBounds().length == 1) {
            answered = wildcard.getLowerBounds()[0];
        }
        if (answered instanceof ParameterizedType parameterized) {
            answered = parameterized.getRawType();
        }
        return answered instanceof Class<?> type && FLOW.isAssignableFrom(type);
    }

    /** Whether {@code method} is a Kotlin {@code suspend} function that Spring's proxy adapts to a Mono. */
    static boolean isSuspending(Method method) {
        return PRESENT && KotlinDetector.isSuspendingFunction(method);
    }

    /**
     * Whether {@code method} is the static twin Kotlin compiles beside an open {@code suspend} function
     * ({@code name$suspendImpl(self, ..., continuation)}): it holds the body, so that an override can
     * call {@code super}, and carries the same annotations, but nothing calls it except that function.
     * Told apart by its name: Java source cannot declare a {@code $suspendImpl} method by accident.
     */
    static boolean isSuspendImplementation(Method method) {
        return Modifier.isStatic(method.getModifiers()) && method.getName().endsWith("$suspendImpl");
    }

    /** The parameters the Kotlin source declares: a suspending function's last, the continuation, left out. */
    static Class<?>[] declaredParameters(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        return isSuspending(method) ? Arrays.copyOf(parameters, parameters.length - 1) : parameters;
    }

    /**
     * Calls a suspending fallback with the caller's arguments (their continuation left out), in the
     * caller's coroutine context (MDC, the observation) without its job, and returns its answer as a
     * Mono for the pipeline to await.
     *
     * @param continuation the annotated call's own continuation, the last of its arguments
     */
    static Object callSuspending(Method fallback, @Nullable Object target, Object[] arguments, Object continuation) {
        return Coroutines.call(fallback, target, arguments, continuation);
    }

    /**
     * Kotlin's own types, in a class of their own: the JVM may load the types a method's code names
     * when it verifies the class, and {@link KotlinCalls} must load without Kotlin.
     */
    private static final class Coroutines {

        static Object call(Method fallback, @Nullable Object target, Object[] arguments, Object continuation) {
            // A Mono built in a context that holds the caller's job would refuse it: keep the rest (MDC, observation).
            CoroutineContext context =
                    ((Continuation<?>) continuation).getContext().minusKey(Job.Key);
            return CoroutinesUtils.invokeSuspendingFunction(context, fallback, target, arguments);
        }

        /**
         * Spring's proxy (and retry's aspect) starts the attempt's coroutine in the context of the
         * invocation's last argument, the caller's continuation; the arguments an attempt proceeds
         * with have one in its place whose context adds this attempt. Only its context is read: the
         * proxy awaits the chain's answer with the caller's own continuation, which the caller's
         * invocation keeps.
         */
        @SuppressWarnings("unchecked")
        static Object[] argumentsCarryingAttempt(MethodInvocation invocation) {
            Object[] arguments = invocation.getArguments().clone();
            int last = arguments.length - 1;
            AttemptElement attempt = new AttemptElement(
                    RetryContext.copyOfCurrent(),
                    CallerContext.CONTEXT_PROPAGATION_PRESENT ? ThreadContext.capture() : null);
            arguments[last] = new AttemptContinuation((Continuation<Object>) arguments[last], attempt);
            return arguments;
        }
    }

    /** The caller's continuation, seen by the attempt's coroutine with its attempt in the context. */
    private static final class AttemptContinuation implements Continuation<Object> {

        private final Continuation<Object> caller;
        private final CoroutineContext context;

        AttemptContinuation(Continuation<Object> caller, AttemptElement attempt) {
            this.caller = caller;
            this.context = caller.getContext().plus(attempt);
        }

        @Override
        public CoroutineContext getContext() {
            return context;
        }

        @Override
        public void resumeWith(Object result) {
            caller.resumeWith(result);
        }
    }

    /**
     * Makes one attempt current on every thread its coroutine runs on, for as long as it runs there:
     * its {@link RetryContext}, and the thread-local context (the attempt's observation) captured
     * when the attempt started.
     */
    private static final class AttemptElement extends AbstractCoroutineContextElement
            implements ThreadContextElement<AttemptElement.Before> {

        private static final CoroutineContext.Key<AttemptElement> KEY = new CoroutineContext.Key<>() {};

        private final RetryContext attempt;
        private final @Nullable ThreadContext threadContext;

        /** What a thread had before the coroutine came: put back when it leaves. */
        record Before(RetryContext retryContext, @Nullable AutoCloseable threadContext) {}

        AttemptElement(RetryContext attempt, @Nullable ThreadContext threadContext) {
            super(KEY);
            this.attempt = attempt;
            this.threadContext = threadContext;
        }

        @Override
        public Before updateThreadContext(CoroutineContext context) {
            RetryContext before = attempt.makeCurrent();
            return new Before(before, threadContext != null ? threadContext.restore() : null);
        }

        @Override
        public void restoreThreadContext(CoroutineContext context, Before before) {
            try {
                if (before.threadContext() != null) {
                    before.threadContext().close();
                }
            } catch (Exception closing) {
                throw new IllegalStateException("the attempt's thread-local context could not be put back", closing);
            } finally {
                before.retryContext().makeCurrent();
            }
        }
    }
}
