package dev.retry.core;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a call made through {@code retry} can learn about itself while it runs: which attempt this
 * is, and an idempotency key that stays the same for every attempt of one logical call.
 *
 * <pre>{@code
 * RetryContext context = RetryContext.current();
 * request.header("Idempotency-Key", context.idempotencyKey());
 * log.debug("attempt {}", context.attempt());
 * }</pre>
 *
 * <p>Read it inside the call and do not keep it: each thread has one context object that the engine
 * updates in place, which is why asking for it costs no allocation on any call. A call made through
 * {@code retry} from inside another sees its own values and the outer call's are restored when it
 * returns. A {@link Pipeline} without a retry or a hedge makes its call one attempt: attempt 1 and a
 * key of its own, or, inside another call, that call's values.
 */
public final class RetryContext {

    private static final ThreadLocal<RetryContext> CONTEXTS = ThreadLocal.withInitial(RetryContext::new);

    /** The attempt running on this thread, 1-based; 0 when no call is running. */
    int attempt;

    /**
     * This call's key; {@code null} until somebody asks for it, or {@link #SHARED_KEY_UNDRAWN} while
     * the attempts of a hedged call run, whose key they share but nobody has asked for yet.
     */
    @Nullable
    String key;

    /**
     * Stands in {@link #key} for a key that several attempts share, on several threads, and that
     * none has asked for yet: {@link #idempotencyKey()} then draws it from {@link #sharedKey}, once
     * for all of them. A hedged call made alone would otherwise draw a key (a {@code SecureRandom}
     * draw and some 150 bytes) on every call, asked for or not. It is told apart by identity, so that
     * code that saves and restores {@link #key} around a call of its own carries it unchanged.
     */
    static final String SHARED_KEY_UNDRAWN = new String("(the hedged call's key, not drawn yet)");

    /** Where {@link #SHARED_KEY_UNDRAWN} is drawn from; meaningful only while {@link #key} is it. */
    @Nullable
    SharedKey sharedKey;

    /** The key of one call whose attempts run on several threads, drawn on first demand. */
    interface SharedKey {

        /** The key, drawn on the first call and the same after. */
        String drawSharedKey();
    }

    private RetryContext() {}

    /**
     * The context of the call running on this thread.
     *
     * @throws IllegalStateException when no call made through {@code retry} is running on this
     *     thread; {@link #isActive()} tells beforehand
     */
    public static RetryContext current() {
        RetryContext context = CONTEXTS.get();
        if (context.attempt == 0) {
            throw new IllegalStateException("RetryContext.current() was called outside any call made through retry;"
                    + " check RetryContext.isActive() first where the code also runs outside such calls");
        }
        return context;
    }

    /** Whether a call made through {@code retry} is running on this thread. */
    public static boolean isActive() {
        return CONTEXTS.get().attempt != 0;
    }

    /** The attempt now running: 1 for the first, 2 for the first retry, and so on. */
    public int attempt() {
        return attempt;
    }

    /**
     * A key that names this logical call: the same for each of its attempts, different for every
     * other call. It is a random (version 4) UUID in its usual text form, fit for an {@code
     * Idempotency-Key} header: all 122 of its random bits come from the JDK's cryptographically strong
     * generator, so no key, however many a client has seen, tells anything about another. It is drawn
     * the first time it is asked for (a call that never asks pays nothing) and the same string is
     * returned after that.
     */
    public String idempotencyKey() {
        String current = key;
        if (current == null) {
            current = newKey();
        } else if (isSharedKeyUndrawn(current)) {
            SharedKey source = sharedKey;
            current = source != null ? source.drawSharedKey() : newKey();
        }
        key = current;
        return current;
    }

    @SuppressWarnings({"StringEquality", "ReferenceEquality"}) // the stand-in is one instance, told apart by identity
    static boolean isSharedKeyUndrawn(@Nullable String key) {
        return key == SHARED_KEY_UNDRAWN;
    }

    /**
     * This thread's attempt, detached from the thread: a value to {@link #makeCurrent() make current}
     * on the thread where the attempt's work goes on, for work that an attempt starts on one thread
     * and that resumes on others (a Kotlin coroutine, resumed by its dispatcher). The key is drawn
     * now, if it has not been yet, so that every thread of the attempt and every other attempt of the
     * call see the same one. Outside any call the copy is inactive, and making it current makes a
     * thread inactive too.
     */
    public static RetryContext copyOfCurrent() {
        RetryContext current = CONTEXTS.get();
        return current.attempt == 0 ? new RetryContext() : copy(current.attempt, current.idempotencyKey());
    }

    /**
     * Makes this copy's attempt and key the ones {@link #current()} gives on this thread, and returns
     * a copy of what it gave before: calling {@code makeCurrent()} on that puts it back.
     *
     * @throws IllegalStateException when called on the context {@link #current()} handed out rather
     *     than on a copy from {@link #copyOfCurrent()}
     */
    public RetryContext makeCurrent() {
        RetryContext here = CONTEXTS.get();
        if (here == this) {
            throw new IllegalStateException("makeCurrent() is for a copy from RetryContext.copyOfCurrent(),"
                    + " not for the context RetryContext.current() returned");
        }
        RetryContext before = copy(here.attempt, here.key);
        before.sharedKey = here.sharedKey;
        here.attempt = attempt;
        here.key = key;
        here.sharedKey = sharedKey;
        return before;
    }

    private static RetryContext copy(int attempt, @Nullable String key) {
        RetryContext copy = new RetryContext();
        copy.attempt = attempt;
        copy.key = key;
        return copy;
    }

    static RetryContext forCurrentThread() {
        return CONTEXTS.get();
    }

    /**
     * Makes the call about to run on this thread an attempt of its own, the first and only one,
     * unless a call is running here already: then it runs inside that call's attempt, with its key.
     *
     * @return whether it made one, and must end it with {@link #endSingleAttempt()}
     */
    boolean beginSingleAttempt() {
        if (attempt != 0) {
            return false;
        }
        attempt = 1;
        return true;
    }

    /** Ends what {@link #beginSingleAttempt()} began; outside any call the key is always undrawn. */
    void endSingleAttempt() {
        attempt = 0;
        key = null;
    }

    /**
     * A fresh key. {@link UUID#randomUUID()} draws from {@link java.security.SecureRandom}: a key sent
     * to a server must not let anyone who has seen some keys guess the next (a seeded generator such
     * as {@code ThreadLocalRandom} can be read back from one of its outputs).
     */
    static String newKey() {
        return UUID.randomUUID().toString();
    }

    @Override
    public String toString() {
        return attempt == 0 ? "RetryContext[inactive]" : "RetryContext[attempt=" + attempt + "]";
    }
}
