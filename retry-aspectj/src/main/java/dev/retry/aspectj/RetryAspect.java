package dev.retry.aspectj;

import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.interceptor.RetryMethodInterceptor;
import dev.retry.spring.registry.RetryRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/**
 * Gives every execution of a method that carries one of {@code retry}'s annotations, or of a public
 * method of a class that carries one, the behaviour the Spring proxy gives a call through it: the
 * same plan, resolved and checked once per method, the same shared instances by name, meters,
 * {@code RetryContext} and return types. Being woven into the method itself, it also sees a call
 * from inside the object ({@code this.stock(...)}), one on an object built with {@code new}, and
 * private, final and static methods.
 *
 * <p>Woven at compile time (this module as an aspect library of the AspectJ Maven plugin) or at
 * load time ({@code -javaagent:aspectjweaver.jar}, which reads this module's {@code
 * META-INF/aop.xml}). One instance, which hands every call to the {@link RetryMethodInterceptor} of
 * the running Spring application ({@link #use}: with {@code retry.mode: aspectj}, the starter's
 * auto-configuration does so while the application starts), or, when there is none, to one of its
 * own, built once from the built-in {@code default} configuration.
 *
 * <p>The pointcut finds the methods at weaving time, so it sees only annotations written on the
 * method itself or on its class or a supertype of its class; one on an interface's method, or one
 * reached through a composed annotation, is left to the start-up check of a Spring application,
 * which names the method (see {@code RetryAspectAutoConfiguration}).
 *
 * <p>A Kotlin {@code suspend} function is handled as Spring's proxy handles one: its attempts run as
 * coroutines, awaited by the caller's (see {@link SuspendingJoinPoints}).
 */
@Aspect
public class RetryAspect {

    /** Any of the six annotations, as AspectJ's annotation patterns write it. */
    private static final String ANY =
            "@(dev.retry.annotation.Retryable || dev.retry.annotation.CircuitBreaker || dev.retry.annotation.Hedged"
                    + " || dev.retry.annotation.Fallback || dev.retry.annotation.Timeout"
                    + " || dev.retry.annotation.Bulkhead)";

    /**
     * A method that carries an annotation (any visibility, static ones included), or a public instance
     * method of a class whose class, or a supertype of it, carries one: as the proxy path plans them.
     * A method of such a class that needs no plan (toString, say) proceeds at once. Not the static
     * {@code name$suspendImpl} twin Kotlin compiles beside an open {@code suspend} function: it holds
     * the body, carries the same annotations, and only that function, already intercepted, calls it.
     */
    private static final String ANNOTATED = "(execution(" + ANY + " * *(..)) || execution(public !static * ((" + ANY
            + " *)+).*(..))) && !execution(static * *$suspendImpl(..))";

    /** The running application's interceptor, when one has been handed over. */
    private static final AtomicReference<RetryMethodInterceptor> APPLICATION = new AtomicReference<>();

    /** The interceptor of calls made when no application has handed one over, built on first use. */
    private static final class Standalone {

        static final RetryMethodInterceptor INTERCEPTOR =
                new RetryMethodInterceptor(new RetryRegistry(RetrySettings.defaults(), List.of(), null));
    }

    /**
     * Hands every call from now on to {@code interceptor}, the running application's, so that woven
     * calls use its configured, shared instances, meters and listeners.
     */
    public static void use(RetryMethodInterceptor interceptor) {
        APPLICATION.set(Objects.requireNonNull(interceptor, "interceptor"));
    }

    /**
     * Stops handing calls to {@code interceptor} when it is still the one in use (the application
     * that handed it over is closing); calls then use the built-in {@code default} configuration.
     */
    public static void release(RetryMethodInterceptor interceptor) {
        APPLICATION.compareAndSet(interceptor, null);
    }

    /** The interceptor that woven calls go to now. */
    public static RetryMethodInterceptor interceptor() {
        RetryMethodInterceptor application = APPLICATION.get();
        return application != null ? application : Standalone.INTERCEPTOR;
    }

    /**
     * Runs the call through its method's plan; each attempt proceeds the join point again.
     *
     * @param call the method's execution
     * @return what the method, its retries or its fallback answered
     * @throws Throwable the last attempt's own failure, unwrapped, as the proxy path throws it
     */
    @Around(ANNOTATED)
    public Object intercept(ProceedingJoinPoint call) throws Throwable {
        if (SuspendingJoinPoints.isSuspending(call.getStaticPart())) {
            return SuspendingJoinPoints.intercept(interceptor(), call);
        }
        return interceptor().invoke(new JoinPointInvocation(call));
    }
}
