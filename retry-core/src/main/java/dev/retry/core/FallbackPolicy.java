package dev.retry.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Answers a failed call with something else: a handler chosen by the type of the failure, or the
 * last good result for the same call.
 *
 * <pre>{@code
 * FallbackPolicy fallback = FallbackPolicy.builder()
 *         .on(CircuitOpenException.class, (failure, argument) -> Stock.unknown())
 *         .on(IOException.class, (failure, argument) -> Stock.unknown())
 *         .lastKnownGood(10_000, Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 *
 * <p>When a call fails, the policy serves, in this order: the last good result for the call's key
 * if it has one that is fresh enough; else the handler registered for the most specific type the
 * failure is an instance of (a handler for {@code ConnectException} wins over one for {@code
 * IOException}); else the failure itself. {@link Error}s are never answered. A handler that fails
 * fails the call with its own failure, the original attached as suppressed; for {@link #callAsync}
 * a handler may answer with a {@link CompletionStage}, whose failure is treated alike.
 */
public final class FallbackPolicy extends Policy {

    private final String name;
    private final List<TypedHandler> handlers;
    private final @Nullable LastKnownGood lastKnownGood;
    private final Function<Object, Object> keyOf;
    private final @Nullable FallbackListener listener;
    /** The handler chosen for each failure class, found once: choosing means walking class hierarchies. */
    private final ConcurrentHashMap<Class<?>, TypedHandler> chosen = new ConcurrentHashMap<>();

    FallbackPolicy(
            String name,
            List<TypedHandler> handlers,
            int lastKnownGoodEntries,
            @Nullable Duration lastKnownGoodAge,
            Function<Object, Object> keyOf,
            Ticker ticker,
            List<FallbackListener> listeners) {
        this.name = name;
        this.handlers = List.copyOf(handlers);
        // The builder sets the age with the entries: a policy without last-known-good has neither.
        this.lastKnownGood = lastKnownGoodEntries > 0 && lastKnownGoodAge != null
                ? new LastKnownGood(lastKnownGoodEntries, Durations.toNanosSaturated(lastKnownGoodAge), ticker)
                : null;
        this.keyOf = keyOf;
        this.listener = listeners.isEmpty() ? null : new SafeFallbackListener(listeners);
    }

    public static FallbackPolicyBuilder builder() {
        return new FallbackPolicyBuilder();
    }

    public String name() {
        return name;
    }

    /** Whether this policy remembers last good results. */
    public boolean remembersLastKnownGood() {
        return lastKnownGood != null;
    }

    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // a null T is the caller's own result: see Nullness
    <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        T result;
        try {
            result = next.invoke(function, argument);
        } catch (Throwable failure) {
            try {
                return (T) answer(failure, argument);
            } catch (Throwable unanswered) {
                // The call's own failure, or what the user's handler threw: passed on as it is.
                throw Exceptions.<X>sneaky(unanswered);
            }
        }
        if (lastKnownGood != null) {
            lastKnownGood.remember(keyOf.apply(argument), result);
        }
        return result;
    }

    /**
     * @param argument the call's argument, for handlers and the last-known-good key; null when the
     *     call has none
     */
    @Override
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable failure) {
            stage = CompletableFuture.failedFuture(failure);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, thrown) -> {
            if (thrown == null) {
                if (lastKnownGood != null) {
                    lastKnownGood.remember(keyOf.apply(argument), value);
                }
                result.complete(value);
                return;
            }
            Throwable original = Exceptions.unwrap(thrown);
            Object answer;
            try {
                answer = answer(original, argument);
            } catch (Throwable failed) {
                result.completeExceptionally(failed);
                return;
            }
            if (answer instanceof CompletionStage<?> later) {
                ((CompletionStage<T>) later).whenComplete((laterValue, laterFailure) -> {
                    if (laterFailure == null) {
                        result.complete(laterValue);
                    } else {
                        // As when a synchronous handler throws: the handler's failure, carrying what it answered.
                        Throwable handlerFailure = Exceptions.unwrap(laterFailure);
                        Exceptions.attachSuppressed(handlerFailure, original);
                        result.completeExceptionally(handlerFailure);
                    }
                });
            } else {
                result.complete((T) answer);
            }
        });
        return result;
    }

    /** The fallback's answer to {@code failure}, or {@code failure} thrown again when none applies. */
    private @Nullable Object answer(Throwable failure, @Nullable Object argument) throws Throwable {
        if (failure instanceof Error) {
            throw failure;
        }
        if (lastKnownGood != null) {
            Object remembered = lastKnownGood.lookup(keyOf.apply(argument));
            if (remembered != LastKnownGood.NONE) {
                tell(failure, true);
                return remembered;
            }
        }
        TypedHandler handler = chosen.computeIfAbsent(failure.getClass(), this::mostSpecificHandler);
        if (handler == TypedHandler.NONE) {
            throw failure;
        }
        Object answer;
        try {
            answer = handler.apply(failure, argument);
        } catch (Throwable handlerFailure) {
            Exceptions.attachSuppressed(handlerFailure, failure);
            throw handlerFailure;
        }
        tell(failure, false);
        return answer;
    }

    private TypedHandler mostSpecificHandler(Class<?> failureType) {
        TypedHandler best = TypedHandler.NONE;
        int bestDistance = Integer.MAX_VALUE;
        for (TypedHandler handler : handlers) {
            int distance = TypedHandler.distance(failureType, handler.type);
            if (distance < bestDistance) {
                best = handler;
                bestDistance = distance;
            }
        }
        return best;
    }

    private void tell(Throwable failure, boolean lastKnown) {
        if (listener != null) {
            listener.onFallback(name, failure, lastKnown);
        }
    }

    /** A type no failure is ever an instance of. */
    private static final class NoHandler extends Throwable {

        private static final long serialVersionUID = 1L;

        private NoHandler() {}
    }

    /** A handler and the failure type it takes. */
    static final class TypedHandler {

        /** Stands for "no handler takes this failure" in the cache of choices. */
        static final TypedHandler NONE = new TypedHandler(NoHandler.class, (failure, argument) -> null);

        final Class<? extends Throwable> type;
        private final FallbackHandler<Throwable> handler;

        @SuppressWarnings("unchecked")
        <X extends Throwable> TypedHandler(Class<X> type, FallbackHandler<? super X> handler) {
            this.type = (Class<? extends Throwable>) (Class<?>) type;
            this.handler = (FallbackHandler<Throwable>) handler;
        }

        @Nullable
        Object apply(Throwable failure, @Nullable Object argument) throws Throwable {
            return handler.apply(failure, argument);
        }

        /**
         * How many steps up the class hierarchy from {@code failureType} to {@code handled}; an
         * interface counts as farther than any class; MAX_VALUE when it does not match at all.
         */
        static int distance(Class<?> failureType, Class<?> handled) {
            if (!handled.isAssignableFrom(failureType)) {
                return Integer.MAX_VALUE;
            }
            if (handled.isInterface()) {
                return Integer.MAX_VALUE - 1;
            }
            int steps = 0;
            for (Class<?> type = failureType; type != handled; type = type.getSuperclass()) {
                steps++;
            }
            return steps;
        }
    }
}
