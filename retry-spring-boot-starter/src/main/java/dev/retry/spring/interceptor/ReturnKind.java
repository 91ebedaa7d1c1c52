package dev.retry.spring.interceptor;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import org.springframework.util.ClassUtils;

/** How an annotated method delivers its outcome, which decides how its attempts are made and awaited. */
enum ReturnKind {
    /** A plain value or {@code void}: attempts run on the caller's thread, one after the other. */
    PLAIN,
    /** A {@link CompletionStage}: retries and hedges are scheduled, no thread waits. */
    COMPLETION_STAGE,
    /** A Reactor {@code Mono}: each attempt subscribes to a fresh one. */
    MONO,
    /** A Reactor {@code Flux}: each attempt subscribes to a fresh one; see {@link ReactorCalls}. */
    FLUX,
    /**
     * A Kotlin {@code suspend} function, which Spring's proxy hands the interceptors as a Mono: made
     * as a Mono's attempts are, each carrying its attempt into the coroutine; see {@link KotlinCalls}.
     */
    SUSPEND;

    private static final boolean REACTOR_PRESENT =
            ClassUtils.isPresent("reactor.core.publisher.Mono", ReturnKind.class.getClassLoader());

    static ReturnKind of(Method method) {
        if (KotlinCalls.isSuspending(method)) {
            return SUSPEND;
        }
        Class<?> type = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(type)) {
            return COMPLETION_STAGE;
        }
        if (REACTOR_PRESENT) {
            if (ReactorCalls.isMono(type)) {
                return MONO;
            }
            if (ReactorCalls.isFlux(type)) {
                return FLUX;
            }
        }
        return PLAIN;
    }

    /** Whether what an invocation returns is a Reactor publisher, which runs again on every subscription. */
    boolean isPublisher() {
        return this == MONO || this == FLUX || this == SUSPEND;
    }

    boolean isAsynchronous() {
        return this != PLAIN;
    }
}
