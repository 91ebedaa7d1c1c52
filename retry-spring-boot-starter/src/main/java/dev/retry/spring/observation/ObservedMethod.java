package dev.retry.spring.observation;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * An annotated method as its observations name it: the method, the bean class it was resolved for,
 * and the instance name of each policy it carries ({@code null} for a policy it does not carry).
 *
 * @param method the annotated method
 * @param targetClass the class of the bean whose method it is
 * @param retryPolicy the {@code @Retryable} policy's name
 * @param circuitBreaker the {@code @CircuitBreaker} instance's name (for an unnamed one, the
 *     method's qualified name, as its meters have it)
 * @param hedge the {@code @Hedged} policy's name
 * @param timeout the {@code @Timeout} policy's name
 * @param bulkhead the {@code @Bulkhead} instance's name
 */
public record ObservedMethod(
        Method method,
        Class<?> targetClass,
        @Nullable String retryPolicy,
        @Nullable String circuitBreaker,
        @Nullable String hedge,
        @Nullable String timeout,
        @Nullable String bulkhead) {

    /** {@code InventoryClient.stock}: the {@code method} key's value, the bean's simple class name and the method's. */
    public String qualifiedName() {
        return ClassUtils.getUserClass(targetClass).getSimpleName() + "." + method.getName();
    }
}
