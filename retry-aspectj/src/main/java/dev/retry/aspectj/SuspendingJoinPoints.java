package dev.retry.aspectj;

import dev.retry.spring.interceptor.RepeatableInvocation;
import dev.retry.spring.interceptor.RetryMethodInterceptor;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.reactor.MonoKt;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.reflect.MethodSignature;
import org.springframework.core.KotlinDetector;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Mono;

/**
 * Woven Kotlin {@code suspend} functions, handed to the interceptor as Spring's proxy hands them
 * (since Spring Framework 6.1): each attempt is a coroutine of its own, started as a {@code Mono} in
 * the caller's coroutine context (less its job), and the call's answer is awaited by the caller's
 * coroutine, so retries, hedges and timeouts suspend it instead of blocking a thread, and cancelling
 * it cancels the attempt in flight. Without this, the interceptor would take the compiler's {@code
 * COROUTINE_SUSPENDED} marker for the method's answer.
 *
 * <p>Kotlin's types are named only in the methods that run for a suspend function, so this class
 * loads, and {@link #isSuspending} answers, without Kotlin on the class path.
 */
final class SuspendingJoinPoints {

    private static final boolean REACTOR_BRIDGE_PRESENT =
            ClassUtils.isPresent("kotlinx.coroutines.reactor.MonoKt", SuspendingJoinPoints.class.getClassLoader())
                    && ClassUtils.isPresent("reactor.core.publisher.Mono", SuspendingJoinPoints.class.getClassLoader());

    /**
     * Whether each woven join point is a suspend function's execution, found out on its first call:
     * a static part is the same object on every call, and asking Kotlin again would copy the
     * method's parameter types every time.
     */
    private static final ConcurrentMap<JoinPoint.StaticPart, Boolean> SUSPENDING = new ConcurrentHashMap<>();

    private SuspendingJoinPoints() {}

    /**
     * Whether the join point is the execution of a Kotlin {@code suspend} function, which the starter
     * plans as one (with Kotlin's coroutines and their Reactor bridge present; without them it plans
     * the method as a plain one, and its start-up check says so).
     */
    static boolean isSuspending(JoinPoint.StaticPart joinPoint) {
        if (!REACTOR_BRIDGE_PRESENT) {
            return false;
        }
        Boolean known = SUSPENDING.get(joinPoint);
        if (known == null) {
            known = joinPoint.getSignature() instanceof MethodSignature signature
                    && KotlinDetector.isSuspendingFunction(signature.getMethod());
            SUSPENDING.putIfAbsent(joinPoint, known);
        }
        return known;
    }

    /**
     * Runs the suspend function's call through the interceptor and answers as a suspend function
     * does: {@code COROUTINE_SUSPENDED} while the caller's coroutine awaits the outcome, which then
     * resumes it.
     */
    @SuppressWarnings("unchecked")
    static Object intercept(RetryMethodInterceptor interceptor, ProceedingJoinPoint call) throws Throwable {
        Object[] arguments = call.getArgs();
        Continuation<Object> caller = (Continuation<Object>) arguments[arguments.length - 1];
        if (isResumption(call, caller)) {
            return call.proceed();
        }
        Object answer = interceptor.invoke(new Invocation(call));
        // A Mono, from the interceptor's pipeline or a method without a plan proceeded as it is.
        return MonoKt.awaitSingleOrNull(
                answer instanceof Mono<?> mono ? (Mono<Object>) mono : Mono.justOrEmpty(answer), caller);
    }

    /**
     * Whether the function is entered again by its own state machine, resuming after it suspended:
     * Kotlin compiles a final {@code suspend} function's continuation as a class of its own, enclosed
     * by the function, whose {@code invokeSuspend} calls the function again with itself as the
     * continuation. That is the attempt already under way, not a new call. (An open function's
     * machine calls its static {@code $suspendImpl} twin instead, which is not woven.)
     */
    private static boolean isResumption(ProceedingJoinPoint call, Continuation<Object> continuation) {
        Method enclosing = ENCLOSING_METHOD.get(continuation.getClass()).orElse(null);
        return enclosing != null
                && enclosing.equals(((MethodSignature) call.getStaticPart().getSignature()).getMethod());
    }

    /** The method a class is declared in, as a continuation class of a suspend function is; asked once per class. */
    private static final ClassValue<Optional<Method>> ENCLOSING_METHOD = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
            return Optional.ofNullable(type.getEnclosingMethod());
        }
    };

    /** A suspend function's execution, whose every proceeding starts a coroutine, answered as a Mono. */
    private static final class Invocation extends JoinPointInvocation implements RepeatableInvocation {

        Invocation(ProceedingJoinPoint call) {
            super(call);
        }

        @Override
        public Object proceed() {
            return proceed(call.getArgs());
        }

        /**
         * A Mono that, on each subscription, runs the function in a coroutine of its own, started in
         * the context of the continuation {@code arguments} ends with (the caller's, or one the
         * interceptor gave the attempt), less its job, which a Mono's coroutine must not have: its
         * own job is cancelled when the subscription is.
         */
        @Override
        public Object proceed(Object[] arguments) {
            int last = arguments.length - 1;
            CoroutineContext context =
                    ((Continuation<?>) arguments[last]).getContext().minusKey(Job.Key);
            return MonoKt.mono(context, (scope, attempt) -> {
                Object[] own = arguments.clone();
                own[last] = attempt;
                try {
                    return call.proceed(own);
                } catch (Throwable failure) {
                    throw SuspendingJoinPoints.<RuntimeException>sneaky(failure);
                }
            });
        }
    }

    /** Lets the function's own failure out of the coroutine unwrapped, as the function threw it. */
    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }
}
