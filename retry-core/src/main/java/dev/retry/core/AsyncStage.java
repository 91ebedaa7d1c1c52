package dev.retry.core;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** {@link Stage} for calls that return a {@link CompletionStage}. */
interface AsyncStage {

    /** The end of every chain: calls the user's supplier. */
    AsyncStage CALL = new AsyncStage() {
        @Override
        public <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call) {
            return call.get();
        }
    };

    <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call);
}
