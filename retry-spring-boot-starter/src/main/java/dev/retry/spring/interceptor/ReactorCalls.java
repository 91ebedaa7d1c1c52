package dev.retry.spring.interceptor;

import dev.retry.core.Pipeline;
import java.util.List;
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
