package dev.retry.spring.interceptor;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Proxies every bean that has a method (or is a class) carrying one of {@code retry}'s
 * annotations, and resolves and checks each annotated method's plan before the bean is handed out:
 * a bad name or fallback stops the application while it starts.
 *
 * <p>Its advisor goes before any existing ones, so that retries wrap inner interceptors such as a
 * transaction, which then runs anew for every attempt. The proxies it creates build their chains with
 * a {@link PlannedAdvisorChainFactory}, so that their calls find no plan at run time and, where our
 * interceptor is the innermost, copy no invocation.
 */
public final class RetryAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
        implements SmartInitializingSingleton {

    private static final long serialVersionUID = 1L;

    private final transient RetryMethodInterceptor interceptor;
    private transient ConfigurableListableBeanFactory beans;

    public RetryAnnotationBeanPostProcessor(RetryMethodInterceptor interceptor) {
        this.interceptor = interceptor;
        this.advisor = new DefaultPointcutAdvisor(MethodPlanResolver.POINTCUT, interceptor);
        setBeforeExistingAdvisors(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        this.beans = beanFactory instanceof ConfigurableListableBeanFactory listable ? listable : null;
    }

    /**
     * Checks the annotated methods of beans that were not created at start-up (lazy ones), so that
     * their problems, too, stop the start rather than a later first call.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (beans == null) {
            return;
        }
        for (String name : beans.getBeanDefinitionNames()) {
            if (beans.containsSingleton(name)) {
                // Created already, and checked then (postProcessAfterInitialization). Its type is now our
                // proxy's, whose own public methods (Advised's, say) a class-level annotation would seem
                // to cover: preparing them would demand fallbacks for them and build breakers and
                // bulkheads named after the proxy class.
                continue;
            }
            Class<?> type = beans.getType(name, false);
            if (type != null && isEligible(ClassUtils.getUserClass(type))) {
                interceptor.prepare(ClassUtils.getUserClass(type));
            }
        }
    }

    @Override
    protected void customizeProxyFactory(ProxyFactory proxyFactory) {
        proxyFactory.setAdvisorChainFactory(new PlannedAdvisorChainFactory(interceptor));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (isEligible(bean, beanName)) {
            interceptor.prepare(AopUtils.getTargetClass(bean));
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }
}
