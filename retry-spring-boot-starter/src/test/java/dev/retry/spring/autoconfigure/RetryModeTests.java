package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Retryable;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.interceptor.RetryAnnotationBeanPostProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code retry.mode} as the starter alone sees it; retry-aspectj is not on this module's class path
 * (its own tests show the mode with the aspect woven).
 */
class RetryModeTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
            .withBean(Inventory.class);

    static class Inventory {

        @Retryable
        public String stock() {
            return "7";
        }
    }

    @Test
    void proxyIsTheDefault() {
        runner.run(context -> {
            assertThat(context.getBean(RetryMode.class)).isEqualTo(RetryMode.PROXY);
            assertThat(AopUtils.isAopProxy(context.getBean(Inventory.class))).isTrue();
        });
    }

    @Test
    void theModeIsReadAsLenientlyAsAnyChoice() {
        runner.withPropertyValues("retry.mode=PROXY").run(context -> {
            assertThat(context.getBean(RetryMode.class)).isEqualTo(RetryMode.PROXY);
            assertThat(context).hasSingleBean(RetryAnnotationBeanPostProcessor.class);
        });
    }

    @Test
    void aspectJModeWithoutTheAspectOnTheClassPathStopsTheStartUpRatherThanLeavingTheMethodsToNobody() {
        runner.withPropertyValues("retry.mode=aspectj").run(context -> {
            assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidRetryConfigurationException.class)
                    .hasMessage("Invalid retry configuration: retry.mode was 'aspectj', but it must be proxy, or"
                            + " aspectj together with the module dev.retry:retry-aspectj woven into the"
                            + " application's classes, and retry-aspectj is not on the class path, so no"
                            + " annotated method would be intercepted");
        });
    }

    @Test
    void aValueThatNamesNoModeStopsTheStartUpSayingWhatIsAllowed() {
        runner.withPropertyValues("retry.mode=weave")
                .run(
                        context -> assertThat(context)
                                .getFailure()
                                .rootCause()
                                .isInstanceOf(InvalidRetryConfigurationException.class)
                                .hasMessage(
                                        "Invalid retry configuration: retry.mode was 'weave', but it must be proxy or aspectj"));
    }
}
