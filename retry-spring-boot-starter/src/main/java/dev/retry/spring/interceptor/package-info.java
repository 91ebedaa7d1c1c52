/**
 * The interceptor behind {@code retry}'s annotations: one {@link
 * org.aopalliance.intercept.MethodInterceptor} for all of them, with everything about each annotated
 * method resolved and validated when its bean is created.
 */
package dev.retry.spring.interceptor;
