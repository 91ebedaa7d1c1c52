package dev.retry.aspectj.autoconfigure;

import dev.retry.aspectj.RetryAspect;
import dev.retry.spring.interceptor.InvalidRetryAnnotationException;
import dev.retry.spring.interceptor.RetryMethodInterceptor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Hands the application's interceptor to the woven aspect as soon as the post-processors are set
 * up, before any other bean can call a woven method, and takes it back when the application closes.
 * Checks each bean's annotated methods while the bean is created, and those of lazy beans once the
 * other singletons are: their plans (names, inline values, fallbacks) as the proxy path does, and
 * that the mode and the weaving agree.
 */
final class RetryAspectConnector
        implements BeanPostProcessor, SmartInitializingSingleton, DisposableBean, BeanFactoryAware {

    private static final String WEAVE = "Weave it with retry's aspect: add dev.retry:retry-aspectj to the"
            + " aspectLibraries of the AspectJ Maven plugin (compile time), or start the JVM with"
            + " -javaagent:aspectjweaver.jar (load time); or set retry.mode=proxy to have Spring's proxy"
            + " intercept the bean's calls instead";

    private final RetryMethodInterceptor interceptor;
    private final boolean aspectJMode;
    private ConfigurableListableBeanFactory beans;

    /**
     * @param aspectJMode {@code retry.mode: aspectj}, where every annotated method of a bean must be
     *     woven; otherwise none may be, as the starter's proxy intercepts them
     */
    RetryAspectConnector(RetryMethodInterceptor interceptor, boolean aspectJMode) {
        this.interceptor = interceptor;
        this.aspectJMode = aspectJMode;
        RetryAspect.use(interceptor);
    }

    /** The interceptor this application handed to the aspect. */
    RetryMethodInterceptor interceptor() {
        return interceptor;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beans = beanFactory instanceof ConfigurableListableBeanFactory listable ? listable : null;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        check(AopProxyUtils.ultimateTargetClass(bean));
        return bean;
    }

    /** Lazy beans, not created while the application starts, are checked by their type. */
    @Override
    public void afterSingletonsInstantiated() {
        if (beans == null) {
            return;
        }
        for (String name : beans.getBeanDefinitionNames()) {
            if (beans.containsSingleton(name)) {
                continue;
            }
            Class<?> type = beans.getType(name, false);
            if (type != null) {
                check(ClassUtils.getUserClass(type));
            }
        }
    }

    @Override
    public void destroy() {
        RetryAspect.release(interceptor);
    }

    private void check(Class<?> type) {
        for (Method method : interceptor.annotatedMethods(type)) {
            boolean woven = WovenMethods.isWoven(method);
            if (aspectJMode && !woven) {
                throw new InvalidRetryAnnotationException(
                        describe(method),
                        "it carries retry's annotations, but retry.mode is aspectj and the method is not woven with"
                                + " retry's aspect, so nothing would intercept its calls (an annotation on an"
                                + " interface's method, or a composed one, is not seen by the aspect: put it on the"
                                + " class or the method itself)",
                        WEAVE);
            }
            if (!aspectJMode && woven) {
                throw new InvalidRetryAnnotationException(
                        describe(method),
                        "it is woven by AspectJ, but retry.mode is proxy, so Spring's proxy and the woven aspect"
                                + " would both handle its calls",
                        "Set retry.mode=aspectj to leave the calls to the woven aspect alone (which also intercepts"
                                + " calls from inside the bean), or stop weaving retry-aspectj into "
                                + method.getDeclaringClass().getSimpleName());
            }
        }
    }

    /** {@code OrderService.place(String, int)}, as the starter's messages name a method. */
    private static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }
}
