package dev.retry.spring.interceptor;

import dev.retry.core.Pipeline;
import dev.retry.spring.observation.CallObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Mono and Flux methods, loaded only when Reactor is on the class path.
 *
 * <p>Nothing happens until the caller subscribes; then every attempt calls the method again and
 * subscribes to the publisher it returns, so each retry or hedge is a fresh request. A Flux is
 * collected per attempt and its elements are emitted once the attempt has succeeded, so that a
 * stream that fails halfway and is retried never hands the subscriber an element twice; a stream
 * too large to hold in memory should not be retried this way.
 */
final class ReactorCalls {

    private ReactorCalls() {}

    static boolean isMono(Class<?> type) {
        return Mono.class.isAssignableFrom(type);
    }

    static boolean isFlux(Class<?> type) {
        return Flux.class.isAssignableFrom(type);
    }

    /** @param argument what a fallback receives: the call's invocation */
    static Mono<Object> mono(Pipeline pipeline, Supplier<Object> attempt, Object argument) {
        return Mono.defer(() -> Mono.fromFuture(pipeline.callAsync(() -> toStage(attempt), argument)));
    }

    /** @param argument what a fallback receives: the call's invocation */
    static Flux<Object> flux(Pipeline pipeline, Supplier<Object> attempt, Object argument) {
        return Flux.defer(() -> Mono.fromFuture(pipeline.<List<Object>>callAsync(() -> collect(attempt), argument))
                .flatMapIterable(elements -> elements));
    }

    /**
     * A Mono method's observed call: each subscription is one call, observed from the moment it
     * subscribes, whose attempts each subscribe to a Mono the method returns.
     *
     * @param caller the caller's context, taken when the method was called
     */
    static Mono<Object> observedMono(MethodPlan plan, CallerContext caller) {
        return Mono.defer(() -> Mono.fromFuture(observed(plan, caller, ReactorCalls::monoStage)));
    }

    /** A Flux method's observed call, as {@link #observedMono} with each attempt's elements collected. */
    static Flux<Object> observedFlux(MethodPlan plan, CallerContext caller) {
        return Flux.defer(() ->
                Mono.fromFuture(observed(plan, caller, ReactorCalls::fluxStage)).flatMapIterable(elements -> elements));
    }

    private static <T> CompletableFuture<T> observed(
            MethodPlan plan, CallerContext caller, CallerContext.StageAdapter<T> adapter) {
        CallObserver call = plan.observer().callStarted();
        try {
            return ObservedCalls.startAsync(plan, caller.observedBy(call), call, adapter);
        } finally {
            call.leaveCallScope();
        }
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> monoStage(Object returned) {
        return ((Mono<Object>) returned).toFuture();
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<List<Object>> fluxStage(Object returned) {
        return ((Flux<Object>) returned).collectList().toFuture();
    }

    /**
     * A fallback method's answer in the form the pipeline waits for: a Mono's value as a stage, a
     * Flux's elements collected into one, anything else as it is.
     */
    static Object asStage(Object answer) {
        if (answer instanceof Mono<?> mono) {
            return mono.toFuture();
        }
        if (answer instanceof Flux<?> flux) {
            return flux.collectList().toFuture();
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> toStage(Supplier<Object> attempt) {
        return ((Mono<Object>) attempt.get()).toFuture();
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<List<Object>> collect(Supplier<Object> attempt) {
        return ((Flux<Object>) attempt.get()).collectList().toFuture();
    }
}
