package dev.retry.spring.interceptor;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.FallbackPolicy;
import dev.retry.core.HedgePolicy;
import dev.retry.core.Pipeline;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;
import dev.retry.spring.observation.MethodObserver;
import dev.retry.spring.observation.MethodObservers;
import dev.retry.spring.observation.ObservedMethod;
import dev.retry.spring.registry.PolicySource;
import dev.retry.spring.registry.UnknownPolicyException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Turns an annotated method into a {@link MethodPlan}: finds its annotations (on the method, else
 * on its class for public methods), asks the {@link PolicySource} for the named policies, resolves
 * its fallback method, and checks that its return type can be handled. Every problem is reported as
 * an {@link InvalidRetryAnnotationException} naming the method.
 */
final class MethodPlanResolver {

    /** The annotations this interceptor acts on. */
    static final List<Class<? extends Annotation>> ANNOTATIONS =
            List.of(Retryable.class, CircuitBreaker.class, Hedged.class, Fallback.class, Timeout.class, Bulkhead.class);

    /**
     * The classes and methods that carry one of {@link #ANNOTATIONS}, directly or through their class
     * (or its supertypes): those a plan may be needed for.
     */
    static final Pointcut POINTCUT = pointcut();

    private final PolicySource policies;
    private final Supplier<MethodObservers> observers;

    /** @param observers asked once, when the first plan is resolved, so that asking creates no bean early */
    MethodPlanResolver(PolicySource policies, Supplier<MethodObservers> observers) {
        this.policies = policies;
        this.observers = observers;
    }

    private static Pointcut pointcut() {
        ComposablePointcut pointcut = null;
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            AnnotationMatchingPointcut onClass = new AnnotationMatchingPointcut(annotation, true);
            AnnotationMatchingPointcut onMethod = AnnotationMatchingPointcut.forMethodAnnotation(annotation);
            if (pointcut == null) {
                pointcut = new ComposablePointcut(onClass);
            } else {
                pointcut.union(onClass);
            }
            pointcut.union(onMethod);
        }
        return pointcut;
    }

    /** The plan for {@code method} as implemented by {@code targetClass}; {@link MethodPlan#NONE} when it carries no annotation. */
    MethodPlan resolve(Method method, Class<?> targetClass) {
        Retryable retryable = find(method, targetClass, Retryable.class);
        CircuitBreaker circuitBreaker = find(method, targetClass, CircuitBreaker.class);
        Hedged hedged = find(method, targetClass, Hedged.class);
        Fallback fallback = find(method, targetClass, Fallback.class);
        if (fallback != null
                && fallback.value().equals(method.getName())
                && AnnotatedElementUtils.findMergedAnnotation(method, Fallback.class) == null) {
            // A class-level @Fallback names methods of that class, often public ones: they answer for
            // the others and need no fallback of their own (none could match their signature anyway).
            fallback = null;
        }
        Timeout timeout = find(method, targetClass, Timeout.class);
        Bulkhead bulkhead = find(method, targetClass, Bulkhead.class);
        if (retryable == null
                && circuitBreaker == null
                && hedged == null
                && fallback == null
                && timeout == null
                && bulkhead == null) {
            return MethodPlan.NONE;
        }
        String name = describe(method);
        if (KotlinCalls.returnsFlow(method)) {
            throw new InvalidRetryAnnotationException(
                    name,
                    "it returns a kotlinx.coroutines.flow.Flow, which retry's annotations do not guard: a Flow"
                            + " runs only when it is collected, after the annotated call has returned it, so no"
                            + " attempt could be retried, timed or counted",
                    "Return a Flux instead (Flow.asFlux() from kotlinx-coroutines-reactor), whose every"
                            + " subscription the annotations guard; or make it a suspend function that returns the"
                            + " collected values (a List); or use the Flow's own retry and timeout operators");
        }
        ReturnKind returnKind = ReturnKind.of(method);
        RetryPolicy retry = retryable == null ? null : ask(name, "@Retryable", () -> policies.retryPolicy(retryable));
        CircuitBreakerPolicy breaker = circuitBreaker == null
                ? null
                : ask(
                        name,
                        "@CircuitBreaker",
                        () -> policies.circuitBreaker(circuitBreaker.value(), qualified(method, targetClass)));
        HedgePolicy hedge = hedged == null ? null : ask(name, "@Hedged", () -> policies.hedgePolicy(hedged));
        TimeoutPolicy timeLimit = timeout == null ? null : ask(name, "@Timeout", () -> policies.timeoutPolicy(timeout));
        BulkheadPolicy permits = bulkhead == null
                ? null
                : ask(name, "@Bulkhead", () -> policies.bulkhead(bulkhead.value(), qualified(method, targetClass)));
        FallbackPolicy answer = fallback == null
                ? null
                : FallbackMethods.resolve(method, targetClass, fallback, name, policies.fallbackListener());
        MethodObserver observer = observers
                .get()
                .forMethod(new ObservedMethod(
                        method,
                        targetClass,
                        retry == null ? null : retry.config().name(),
                        breaker == null ? null : breaker.name(),
                        hedge == null ? null : hedge.config().name(),
                        timeLimit == null ? null : timeLimit.name(),
                        permits == null ? null : permits.name()));
        // Observed, the fallback and the retry make one pipeline and the policies of an attempt another,
        // so that each retry attempt passes the observer between them; in the contract's order still.
        Pipeline.PipelineBuilder pipeline = Pipeline.builder();
        Pipeline.PipelineBuilder attempt = observer == null ? pipeline : Pipeline.builder();
        if (retry != null) {
            pipeline.retry(retry);
        }
        if (breaker != null) {
            attempt.circuitBreaker(breaker);
        }
        if (hedge != null) {
            attempt.hedge(hedge);
        }
        if (timeLimit != null) {
            attempt.timeout(timeLimit);
        }
        if (permits != null) {
            attempt.bulkhead(permits);
        }
        if (answer != null) {
            pipeline.fallback(answer);
        }
        // A Mono or Flux runs the method again on every subscription, and subscribers may subscribe more
        // than once, so its invocations repeat even without a retry or a hedge.
        boolean reactive = returnKind.isPublisher();
        return new MethodPlan(
                pipeline.build(),
                returnKind,
                retryable != null || hedged != null || reactive,
                hedged != null,
                observer,
                observer == null ? null : attempt.build());
    }

    /** The method-level annotation, else the class-level one for a public instance method. */
    private static <A extends Annotation> A find(Method method, Class<?> targetClass, Class<A> type) {
        A onMethod = AnnotatedElementUtils.findMergedAnnotation(method, type);
        if (onMethod != null) {
            return onMethod;
        }
        // A class's annotations cover the methods its proxy can intercept: public instance methods. A
        // static one is never called through the proxy, so its plan would only demand a fallback for it.
        // equals, hashCode and toString, even overridden, are the object's identity, not calls to guard:
        // a class-level @Fallback would otherwise demand a fallback for each.
        if (!Modifier.isPublic(method.getModifiers())
                || Modifier.isStatic(method.getModifiers())
                || method.getDeclaringClass() == Object.class
                || ReflectionUtils.isEqualsMethod(method)
                || ReflectionUtils.isHashCodeMethod(method)
                || ReflectionUtils.isToStringMethod(method)) {
            return null;
        }
        return AnnotatedElementUtils.findMergedAnnotation(targetClass, type);
    }

    private static <P> P ask(String method, String annotation, Supplier<P> lookup) {
        try {
            return lookup.get();
        } catch (UnknownPolicyException unresolved) {
            throw new InvalidRetryAnnotationException(
                    method,
                    annotation + " " + unresolved.getMessage(),
                    "Configure that entry in application.yml, name one that is configured, or set"
                            + " retry.strict-names=false to fall back to the section's default");
        } catch (IllegalArgumentException badValue) {
            throw new InvalidRetryAnnotationException(
                    method,
                    annotation + " " + badValue.getMessage(),
                    "Change that attribute of " + annotation + " to an allowed value, or leave it out to use the"
                            + " configured one");
        }
    }

    /**
     * {@code com.example.OrderService.place(String, int)}: what an unnamed breaker or bulkhead is known
     * by, unique even where two classes share a simple name. The class is the bean's, not the one that
     * declares the method: two beans inheriting one method from a common superclass usually call
     * different services, and one's failures must not open the other's breaker.
     */
    static String qualified(Method method, Class<?> targetClass) {
        return ClassUtils.getUserClass(targetClass).getName() + "." + method.getName()
                // As the source declares it: a suspend function's continuation is the compiler's.
                + Arrays.stream(KotlinCalls.declaredParameters(method))
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@code OrderService.place(String, int)}: how messages name a method. */
    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName()
                // As the source declares it: a suspend function's continuation is the compiler's.
                + Arrays.stream(KotlinCalls.declaredParameters(method))
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }
}
