package dev.retry.core;

import org.jspecify.annotations.Nullable;

/**
 * The failures of a call's earlier attempts that its last failure will carry as suppressed, kept to
 * a fixed few whatever the number of attempts: the first (what started the trouble) and the {@value
 * #LATEST} latest distinct ones (what it ended with). A call that retries without delay until a
 * deadline may make a hundred thousand attempts; keeping every failure would hold all of them, with
 * their stack traces, until the call ends, and hang them all on the one exception the caller gets.
 *
 * <p>Only distinct instances count: an attempt that throws the instance an earlier one threw (a
 * cached exception) adds nothing. Not thread-safe; each execution owns one, created at its first
 * retried failure so that a call that succeeds at once allocates nothing.
 */
final class EarlierFailures {

    /** How many of the most recent distinct failures are kept beside the first. */
    static final int LATEST = Exceptions.MAX_SUPPRESSED - 1;

    private final Throwable first;
    /** A ring of the latest distinct failures after the first; {@code added} counts every one put in. */
    private final @Nullable Throwable[] latest = new Throwable[LATEST];

    private int added;

    private EarlierFailures(Throwable first) {
        this.first = first;
    }

    /** Remembers {@code failure}; returns {@code failures}, or a new record when it was {@code null}. */
    static EarlierFailures remember(@Nullable EarlierFailures failures, Throwable failure) {
        if (failures == null) {
            return new EarlierFailures(failure);
        }
        failures.add(failure);
        return failures;
    }

    private void add(Throwable failure) {
        if (failure == first) {
            return;
        }
        for (Throwable kept : latest) {
            if (kept == failure) {
                return;
            }
        }
        latest[added % LATEST] = failure;
        added++;
    }

    /**
     * Attaches the remembered failures to {@code last}, the first then the latest oldest first,
     * within {@link Exceptions#MAX_SUPPRESSED} in all (see {@link Exceptions#attachSuppressed}).
     */
    static void attachTo(Throwable last, @Nullable EarlierFailures failures) {
        if (failures == null) {
            return;
        }
        Exceptions.attachSuppressed(last, failures.first);
        int kept = Math.min(failures.added, LATEST);
        for (int i = failures.added - kept; i < failures.added; i++) {
            Exceptions.attachSuppressed(last, failures.latest[i % LATEST]);
        }
    }
}
