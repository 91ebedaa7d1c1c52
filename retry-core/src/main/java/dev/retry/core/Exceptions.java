package dev.retry.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

final class Exceptions {

    private Exceptions() {}

    /**
     * Throws any throwable without declaring it. Safe here because what is thrown is always what
     * the user's call threw, and that call declared {@code X}.
     */
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"
    }) // the type parameter is what lets it throw undeclared
    static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }

    /**
     * The most suppressed exceptions retry leaves on any exception, its own and those it found there
     * included. A call ends with at most the first and the three latest distinct failures of its
     * earlier attempts attached (see {@link EarlierFailures}); an exception that already carries this
     * many gets no more. That last rule matters for an exception instance thrown again and again (a
     * cached, stackless one is a common pattern): without it, every call that ended with it would hang
     * more exceptions on it, and it would grow, and hold them, for as long as the application runs.
     */
    static final int MAX_SUPPRESSED = 4;

    /**
     * Attaches {@code failure} to {@code to} as suppressed, unless it is {@code to} itself, is there
     * already, or {@code to} carries {@link #MAX_SUPPRESSED} suppressed exceptions or more.
     */
    static void attachSuppressed(Throwable to, @Nullable Throwable failure) {
        if (failure == null || failure == to) {
            return;
        }
        Throwable[] present = to.getSuppressed();
        if (present.length >= MAX_SUPPRESSED) {
            return;
        }
        for (Throwable suppressed : present) {
            if (suppressed == failure) {
                return;
            }
        }
        to.addSuppressed(failure);
    }

    /** The failure a stage really had, without the wrappers that composing stages adds. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
