package dev.retry.spring.interceptor;

import dev.retry.core.CheckedFunction;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * The one interceptor behind {@code @Retryable}, {@code @CircuitBreaker}, {@code @Hedged} and
 * {@code @Fallback}: it looks up the method's {@link MethodPlan} and runs the call through the
 * plan's pipeline.
 *
 * <p>Plans are resolved when the bean is created (see {@link RetryAnnotationBeanPostProcessor});
 * a call does one map lookup by {@link Method} and no reflection, no string building and no lookup
 * by name. A plain {@code MethodInterceptor} rather than an {@code @Around} advice, because it
 * costs a fraction of one per call.
 */
public final class RetryMethodInterceptor implements MethodInterceptor {

    /** Runs one attempt on its own copy of the invocation, so inner interceptors run again too. */
    private static final CheckedFunction<MethodInvocation, Object, Throwable> ATTEMPT_ON_COPY =
            invocation -> ((ProxyMethodInvocation) invocation).invocableClone().proceed();

    private static final CheckedFunction<MethodInvocation, Object, Throwable> PROCEED = MethodInvocation::proceed;

    private final MethodPlanResolver resolver;
    private final Map<Method, MethodPlan> plans = new ConcurrentHashMap<>();

    public RetryMethodInterceptor(PolicySource policies) {
        this.resolver = new MethodPlanResolver(policies);
    }

    /**
     * Resolves and checks the plans of every method of {@code targetClass}, so that a problem stops
     * the application at start-up rather than at the first call.
     */
    void prepare(Class<?> targetClass) {
        for (Method method : targetClass.getMethods()) {
            planFor(method, targetClass);
        }
        for (Method method : targetClass.getDeclaredMethods()) {
            planFor(method, targetClass);
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        MethodPlan plan = plans.get(method);
        if (plan == null) {
            Object target = invocation.getThis();
            plan = planFor(method, target != null ? AopUtils.getTargetClass(target) : method.getDeclaringClass());
        }
        if (plan == MethodPlan.NONE) {
            return invocation.proceed();
        }
        boolean copies = plan.repeats() && invocation instanceof ProxyMethodInvocation;
        // The pristine copy every attempt is cloned from: taken before anything proceeds.
        MethodInvocation base = copies ? ((ProxyMethodInvocation) invocation).invocableClone() : invocation;
        CheckedFunction<MethodInvocation, Object, Throwable> attempt = copies ? ATTEMPT_ON_COPY : PROCEED;
        if (plan.returnKind() == ReturnKind.PLAIN && !plan.hedged()) {
            return plan.pipeline().call(attempt, base); // every attempt on the caller's own thread
        }
        // Attempts may run on other threads: each gets the caller's context, taken now.
        CallerContext call = CallerContext.capture(base, attempt);
        switch (plan.returnKind()) {
            case COMPLETION_STAGE:
                return plan.pipeline().callAsync(() -> stageOf(call), call);
            case MONO:
                return ReactorCalls.mono(plan.pipeline(), () -> unchecked(call), call);
            case FLUX:
                return ReactorCalls.flux(plan.pipeline(), () -> unchecked(call), call);
            default:
                return plan.pipeline().call(CallerContext.ATTEMPT, call);
        }
    }

    private MethodPlan planFor(Method method, Class<?> targetClass) {
        MethodPlan plan = plans.get(method);
        if (plan == null) {
            Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
            plan = resolver.resolve(specific, targetClass);
            MethodPlan raced = plans.putIfAbsent(method, plan);
            plan = raced != null ? raced : plan;
            plans.putIfAbsent(specific, plan);
        }
        return plan;
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> stageOf(CallerContext call) {
        Object stage;
        try {
            stage = call.attempt();
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
        if (stage == null) {
            return CompletableFuture.failedFuture(new NullPointerException(
                    MethodPlanResolver.describe(call.invocation.getMethod()) + " returned null instead of a CompletionStage"));
        }
        return (CompletionStage<Object>) stage;
    }

    /** Lets the attempt's own failure out of a {@code Supplier}, unwrapped; the pipeline catches it. */
    private static Object unchecked(CallerContext call) {
        try {
            return call.attempt();
        } catch (Throwable failure) {
            throw RetryMethodInterceptor.<RuntimeException>sneaky(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }
}
