package dev.retry.spring.interceptor;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.Pipeline;
import dev.retry.spring.registry.PolicySource;
import dev.retry.spring.registry.UnknownPolicyException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
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

    MethodPlanResolver(PolicySource policies) {
        this.policies = policies;
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
        ReturnKind returnKind = ReturnKind.of(method);
        Pipeline.PipelineBuilder pipeline = Pipeline.builder();
        if (retryable != null) {
            pipeline.retry(ask(name, "@Retryable", () -> policies.retryPolicy(retryable)));
        }
        if (circuitBreaker != null) {
            pipeline.circuitBreaker(ask(
                    name,
                    "@CircuitBreaker",
                    () -> policies.circuitBreaker(circuitBreaker.value(), qualified(method, targetClass))));
        }
        if (hedged != null) {
            pipeline.hedge(ask(name, "@Hedged", () -> policies.hedgePolicy(hedged)));
        }
        if (timeout != null) {
            pipeline.timeout(ask(name, "@Timeout", () -> policies.timeoutPolicy(timeout)));
        }
        if (bulkhead != null) {
            pipeline.bulkhead(
                    ask(name, "@Bulkhead", () -> policies.bulkhead(bulkhead.value(), qualified(method, targetClass))));
        }
        if (fallback != null) {
            pipeline.fallback(
                    FallbackMethods.resolve(method, targetClass, fallback, name, policies.fallbackListener()));
        }
        // A Mono or Flux runs the method again on every subscription, and subscribers may subscribe more
        // than once, so its invocations repeat even without a retry or a hedge.
        boolean reactive = returnKind == ReturnKind.MONO || returnKind == ReturnKind.FLUX;
        return new MethodPlan(
                pipeline.build(), returnKind, retryable != null || hedged != null || reactive, hedged != null);
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

    private static <P> P ask(String method, String annotation, java.util.function.Supplier<P> lookup) {
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
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@code OrderService.place(String, int)}: how messages name a method. */
    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }
}
