package dev.retry.spring.interceptor;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AdvisorChainFactory;
import org.springframework.aop.framework.DefaultAdvisorChainFactory;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * The advisor chain factory of the proxies {@link RetryAnnotationBeanPostProcessor} creates: Spring's
 * own chain, in which {@link RetryMethodInterceptor} is replaced by a {@link PlannedInterceptor} that
 * already holds the method's {@link MethodPlan} and knows whether it is the innermost interceptor.
 *
 * <p>Spring builds a proxy's chain once per method and caches it, and throws the cache away whenever
 * the proxy's advisors change (another advising post-processor adding its advisor to our proxy, say).
 * So the plan is found once per method rather than once per call, and the innermost verdict is
 * always that of the chain the call actually runs through.
 *
 * <p>During Spring's ahead-of-time processing the chain is Spring's own, untouched: the processor
 * generates the proxy classes at build time and asks for each method's chain only to decide which
 * methods the class routes through the advice, before the application's {@code retry.*} settings are
 * bound. Planning then would check the annotations against settings that are not there yet. Every
 * annotated method keeps the interceptor, so the generated class routes it through the advice, and
 * the running application plans it (and checks it, at start-up) as it always does.
 */
final class PlannedAdvisorChainFactory implements AdvisorChainFactory {

    private final RetryMethodInterceptor interceptor;

    PlannedAdvisorChainFactory(RetryMethodInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    @Override
    public List<Object> getInterceptorsAndDynamicInterceptionAdvice(
            Advised config, Method method, Class<?> targetClass) {
        List<Object> chain = DefaultAdvisorChainFactory.INSTANCE.getInterceptorsAndDynamicInterceptionAdvice(
                config, method, targetClass);
        int at = chain.indexOf(interceptor);
        if (at < 0 || Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            return chain;
        }
        List<Object> planned = new ArrayList<>(chain);
        MethodPlan plan = interceptor.planFor(method, targetClass != null ? targetClass : method.getDeclaringClass());
        if (plan == MethodPlan.NONE) {
            // A method of an annotated class that carries no annotation itself (toString, say): nothing to do.
            planned.remove(at);
        } else {
            planned.set(at, new PlannedInterceptor(plan, at == chain.size() - 1));
        }
        return planned;
    }

    /**
     * {@link RetryMethodInterceptor} bound to one method of one proxy.
     *
     * @param plan the method's plan
     * @param innermost whether nothing but the method itself runs inside this interceptor, so that
     *     every attempt may proceed the caller's own invocation instead of a copy of it
     */
    record PlannedInterceptor(MethodPlan plan, boolean innermost) implements MethodInterceptor {

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            return RetryMethodInterceptor.call(plan, invocation, innermost);
        }
    }
}
