package dev.retry.spring.interceptor;

import dev.retry.annotation.Fallback;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Tells Spring's ahead-of-time processing which methods of a bean the starter reaches by reflection,
 * so that an application compiled to a native image finds them as the JVM does: the classes that
 * declare annotated methods (whose annotations are read when a method is planned) and each method a
 * {@link Fallback} names (looked up by name, then called through a method handle).
 *
 * <p>Registered in {@code META-INF/spring/aot.factories}; beans without any of the annotations
 * contribute nothing. The proxies themselves need no hint: Spring generates their classes at build
 * time, as it does for {@code @Async}.
 */
final class RetryAnnotationAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
        Class<?> beanClass = ClassUtils.getUserClass(bean.getBeanClass());
        Set<Method> annotated = annotatedMethods(beanClass);
        if (annotated.isEmpty()) {
            return null;
        }
        Set<Method> fallbacks = fallbackCandidates(beanClass, annotated);
        return (generation, code) -> {
            ReflectionHints reflection = generation.getRuntimeHints().reflection();
            // A registered type's members and their annotations can be read, which is all planning needs.
            annotated.forEach(method -> reflection.registerType(method.getDeclaringClass()));
            fallbacks.forEach(method -> reflection.registerMethod(method, ExecutableMode.INVOKE));
        };
    }

    /** The methods the interceptor plans: annotated themselves, or public ones of an annotated class. */
    static Set<Method> annotatedMethods(Class<?> beanClass) {
        boolean classAnnotated = MethodPlanResolver.ANNOTATIONS.stream()
                .anyMatch(type -> AnnotatedElementUtils.hasAnnotation(beanClass, type));
        Set<Method> methods = new LinkedHashSet<>();
        ReflectionUtils.doWithMethods(
                beanClass,
                methods::add,
                method -> !method.isBridge()
                        && !method.isSynthetic()
                        && method.getDeclaringClass() != Object.class
                        && (hasAnyAnnotation(method) || (classAnnotated && isPublicInstanceMethod(method))));
        return methods;
    }

    /** Every method of the bean's class whose name a {@link Fallback} of one of the methods gives. */
    static Set<Method> fallbackCandidates(Class<?> beanClass, Set<Method> annotated) {
        Set<String> names = new LinkedHashSet<>();
        Fallback onClass = AnnotatedElementUtils.findMergedAnnotation(beanClass, Fallback.class);
        if (onClass != null) {
            names.add(onClass.value());
        }
        for (Method method : annotated) {
            Fallback fallback = AnnotatedElementUtils.findMergedAnnotation(method, Fallback.class);
            if (fallback != null) {
                names.add(fallback.value());
            }
        }
        Set<Method> candidates = new LinkedHashSet<>();
        ReflectionUtils.doWithMethods(
                beanClass, candidates::add, method -> !method.isBridge() && names.contains(method.getName()));
        return candidates;
    }

    private static boolean hasAnyAnnotation(Method method) {
        for (Class<? extends Annotation> type : MethodPlanResolver.ANNOTATIONS) {
            if (AnnotatedElementUtils.hasAnnotation(method, type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPublicInstanceMethod(Method method) {
        return Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers());
    }
}
