package dev.retry.spring.interceptor;

import dev.retry.annotation.Fallback;
import dev.retry.core.FallbackPolicy;
import dev.retry.core.FallbackPolicyBuilder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the methods a {@link Fallback} names and turns them into a {@link FallbackPolicy}.
 *
 * <p>A candidate has the annotated method's name in {@code value}, the same parameters, optionally
 * followed by one exception parameter, and a return type assignable to the annotated method's. Each
 * candidate answers the failures its exception parameter accepts (one without that parameter
 * answers every exception), the most specific one winning; {@link Fallback#on()} limits which
 * failures are answered at all. Candidates are invoked through method handles looked up once,
 * never by toggling accessibility on a shared {@link Method}.
 */
final class FallbackMethods {

    private FallbackMethods() {}

    static FallbackPolicy resolve(
            Method method,
            Class<?> targetClass,
            Fallback fallback,
            String described,
            dev.retry.core.FallbackListener listener) {
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        Map<Class<? extends Throwable>, Method> byFailureType = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        ReflectionUtils.doWithMethods(
                userClass,
                candidate -> {
                    Class<? extends Throwable> answers = failureTypeAnswered(method, candidate, rejected);
                    if (answers != null) {
                        // An explicit exception parameter wins over the plain signature for the same type.
                        byFailureType.merge(
                                answers,
                                candidate,
                                (kept, other) -> other.getParameterCount() > kept.getParameterCount() ? other : kept);
                    }
                },
                candidate -> candidate.getName().equals(fallback.value())
                        && !candidate.isBridge()
                        && !candidate.equals(method));
        if (byFailureType.isEmpty()) {
            String parameters = Arrays.stream(KotlinCalls.declaredParameters(method))
                    .map(Class::getSimpleName)
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("");
            throw new InvalidRetryAnnotationException(
                    described,
                    "@Fallback(\"" + fallback.value() + "\") names no usable method in " + userClass.getSimpleName()
                            + (rejected.isEmpty() ? "" : " (" + String.join("; ", rejected) + ")"),
                    "Declare " + fallback.value() + "(" + parameters + ") or " + fallback.value() + "(" + parameters
                            + (parameters.isEmpty() ? "" : ", ") + "SomeException e) in the same bean, returning "
                            + (KotlinCalls.isSuspending(method)
                                    ? "what " + method.getName() + " returns (as a suspend function or a plain one)"
                                    : method.getReturnType().getSimpleName()));
        }
        Class<?>[] answered = fallback.on();
        FallbackPolicyBuilder builder = FallbackPolicy.builder().name(described);
        if (listener != null) {
            builder.listener(listener);
        }
        ReturnKind returnKind = ReturnKind.of(method);
        boolean reactive = returnKind.isPublisher();
        int declared = KotlinCalls.declaredParameters(method).length;
        byFailureType.forEach((failureType, candidate) -> builder.on(
                failureType,
                KotlinCalls.isSuspending(candidate)
                        ? suspendingHandler(
                                candidate, KotlinCalls.declaredParameters(candidate).length > declared, answered)
                        : handler(
                                handleFor(candidate, userClass, described),
                                !Modifier.isStatic(candidate.getModifiers()),
                                KotlinCalls.declaredParameters(candidate).length > declared,
                                KotlinCalls.isSuspending(method),
                                answered,
                                reactive)));
        return builder.build();
    }

    /** The failure type a candidate answers, or null when it does not fit (saying why in {@code rejected}). */
    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable> failureTypeAnswered(
            Method method, Method candidate, List<String> rejected) {
        // A suspend function's continuation is the proxy's business, not part of the signature to match.
        Class<?>[] expected = KotlinCalls.declaredParameters(method);
        Class<?>[] actual = KotlinCalls.declaredParameters(candidate);
        boolean withFailure = actual.length == expected.length + 1;
        if (!(actual.length == expected.length || withFailure)
                || !Arrays.equals(expected, Arrays.copyOf(actual, expected.length))) {
            rejected.add(candidate.getName()
                    + Arrays.toString(actual).replace('[', '(').replace(']', ')') + " has other parameters");
            return null;
        }
        if (Modifier.isStatic(method.getModifiers()) && !Modifier.isStatic(candidate.getModifiers())) {
            // A static method (woven by retry-aspectj) has no instance to call an instance method on.
            rejected.add(candidate.getName() + " is not static, as the annotated method is");
            return null;
        }
        if (withFailure && !Throwable.class.isAssignableFrom(actual[expected.length])) {
            rejected.add("the last parameter of " + candidate.getName() + " is not an exception");
            return null;
        }
        boolean suspending = KotlinCalls.isSuspending(method) || KotlinCalls.isSuspending(candidate);
        // A suspend function returns Object to the JVM; the Kotlin compiler has checked its real type.
        if (!suspending
                && !ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType())
                        .isAssignableFrom(ClassUtils.resolvePrimitiveIfNecessary(candidate.getReturnType()))) {
            rejected.add(candidate.getName() + " returns "
                    + candidate.getReturnType().getSimpleName());
            return null;
        }
        return withFailure ? (Class<? extends Throwable>) actual[expected.length] : Exception.class;
    }

    private static MethodHandle handleFor(Method candidate, Class<?> userClass, String described) {
        try {
            return MethodHandles.privateLookupIn(candidate.getDeclaringClass(), MethodHandles.lookup())
                    .unreflect(candidate);
        } catch (IllegalAccessException inaccessible) {
            throw new InvalidRetryAnnotationException(
                    described,
                    "its fallback " + candidate.getName() + " in " + userClass.getSimpleName() + " cannot be called: "
                            + inaccessible.getMessage(),
                    "Make the fallback method's class open to retry, or the method non-private");
        }
    }

    /** A suspending fallback, called in the caller's coroutine context; its answer a Mono to await. */
    private static dev.retry.core.FallbackHandler<Throwable> suspendingHandler(
            Method candidate, boolean takesFailure, Class<?>[] answered) {
        return (failure, argument) -> {
            if (!answers(answered, failure)) {
                throw failure;
            }
            MethodInvocation invocation = CallerContext.invocationOf(argument);
            Object[] arguments = invocation.getArguments();
            Object continuation = arguments[arguments.length - 1];
            Object[] call = Arrays.copyOf(arguments, arguments.length - 1 + (takesFailure ? 1 : 0));
            if (takesFailure) {
                call[call.length - 1] = failure;
            }
            return ReactorCalls.asStage(
                    KotlinCalls.callSuspending(candidate, invocation.getThis(), call, continuation));
        };
    }

    /**
     * @param callerSuspends whether the annotated method is a suspend function, whose continuation
     *     a plain fallback does not take
     */
    private static dev.retry.core.FallbackHandler<Throwable> handler(
            MethodHandle handle,
            boolean onInstance,
            boolean takesFailure,
            boolean callerSuspends,
            Class<?>[] answered,
            boolean reactive) {
        int receiver = onInstance ? 1 : 0;
        return (failure, argument) -> {
            if (!answers(answered, failure)) {
                throw failure;
            }
            MethodInvocation invocation = CallerContext.invocationOf(argument);
            Object[] arguments = invocation.getArguments();
            // A suspend function's last argument is its continuation, which a plain fallback does not take.
            int passed = callerSuspends ? arguments.length - 1 : arguments.length;
            Object[] call = new Object[receiver + passed + (takesFailure ? 1 : 0)];
            if (onInstance) {
                call[0] = invocation.getThis();
            }
            System.arraycopy(arguments, 0, call, receiver, passed);
            if (takesFailure) {
                call[call.length - 1] = failure;
            }
            Object answer = handle.invokeWithArguments(call);
            return reactive ? ReactorCalls.asStage(answer) : answer;
        };
    }

    private static boolean answers(Class<?>[] answered, Throwable failure) {
        if (answered.length == 0) {
            return failure instanceof Exception;
        }
        for (Class<?> type : answered) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }
}
