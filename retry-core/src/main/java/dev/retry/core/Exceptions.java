package dev.retry.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

final class Exceptions {

    private Exceptions() {
    }

    /**
     * Throws any throwable without declaring it. Safe here because what is thrown is always what
     * the user's call threw, and that call declared {@code X}.
     */
    @SuppressWarnings("unchecked")
    static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }

    /**
     * Attaches each earlier failure to {@code last} as suppressed, once per distinct instance, and
     * never {@code last} itself (a call that throws one cached exception again and again).
     */
    static void attachSuppressed(Throwable last, List<Throwable> earlier) {
        if (earlier == null) {
            return;
        }
        Set<Throwable> attached = Collections.newSetFromMap(new IdentityHashMap<>());
        attached.add(last);
        Collections.addAll(attached, last.getSuppressed());
        for (Throwable failure : earlier) {
            if (attached.add(failure)) {
                last.addSuppressed(failure);
            }
        }
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
