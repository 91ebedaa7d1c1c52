package dev.retry.aspectj.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Which methods of a class AspectJ has woven an execution join point into, at compile time or load
 * time alike: the weaver gives a class one static {@code ajc$tjp_<n>} field per advised join point
 * that an advice reads as a join point, as retry's advice does, holding its static part, whose kind
 * and signature say which join point it is.
 *
 * <p>That tells woven from not woven; it cannot tell which aspect wove a method, so a method that
 * only another aspect advises counts as woven too.
 */
final class WovenMethods {

    private static final String FIELD_PREFIX = "ajc$tjp_";

    private static final ClassValue<Set<Method>> WOVEN = new ClassValue<>() {
        @Override
        protected Set<Method> computeValue(Class<?> type) {
            return executionsWovenInto(type);
        }
    };

    private WovenMethods() {}

    /** Whether the execution of {@code method} is woven, in the class that declares it. */
    static boolean isWoven(Method method) {
        return WOVEN.get(method.getDeclaringClass()).contains(method);
    }

    private static Set<Method> executionsWovenInto(Class<?> type) {
        Set<Method> woven = new HashSet<>();
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())
                    || !field.getName().startsWith(FIELD_PREFIX)
                    || !JoinPoint.StaticPart.class.isAssignableFrom(field.getType())
                    // A fresh copy of the field, never shared: opening it changes nothing for anyone else.
                    || !field.trySetAccessible()) {
                continue;
            }
            try {
                if (field.get(null) instanceof JoinPoint.StaticPart part
                        && JoinPoint.METHOD_EXECUTION.equals(part.getKind())
                        && part.getSignature() instanceof MethodSignature signature) {
                    woven.add(signature.getMethod());
                }
            } catch (IllegalAccessException unreadable) {
                // Opened just above; a field that still cannot be read says nothing either way.
            }
        }
        return woven;
    }
}
