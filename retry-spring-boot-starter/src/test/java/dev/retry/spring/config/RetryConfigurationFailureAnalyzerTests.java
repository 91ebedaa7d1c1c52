package dev.retry.spring.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A real application start-up, as a user sees it in the console: the analyzer is found through
 * {@code META-INF/spring.factories} and wins over Spring Boot's own for the {@code retry} prefix.
 */
@ExtendWith(OutputCaptureExtension.class)
class RetryConfigurationFailureAnalyzerTests {

    @Test
    void aValueRetrySettingsRefusesIsExplainedInTheConsole(CapturedOutput output) {
        assertThatException()
                .isThrownBy(() ->
                        start("--retry.policies.inventory.max-attempts=0", "--retry.bulkheads.reports.max-wait=soon"));
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid retry configuration: retry.policies.inventory.max-attempts was '0', "
                        + "but it must be a whole number of at least 1")
                .contains("Invalid retry configuration: retry.bulkheads.reports.max-wait was 'soon', "
                        + "but it must be a duration of zero or more")
                .contains("set retry.policies.inventory.max-attempts to a whole number of at least 1");
    }

    @Test
    void aValueSpringBootCannotBindIsExplainedTheSameWay(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--retry.strict-names=maybe"));
        assertThat(output)
                .contains("Invalid retry configuration: retry.strict-names was 'maybe', but it must be true or false")
                .doesNotContain("Failed to bind properties under 'retry.strict-names'");
    }

    @Test
    void aSingleValueWhereAGroupBelongsIsShownWithTheValue(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--retry.policies.inventory.budget=0.1"));
        assertThat(output)
                .contains("Invalid retry configuration: retry.policies.inventory.budget was '0.1', "
                        + "but it must be a group of keys (ratio, min-retries-per-second), not a single value");
    }

    @Test
    void otherFailuresAreLeftToSpringBoot() {
        assertThat(new RetryConfigurationFailureAnalyzer(null).analyze(new IllegalStateException("not ours")))
                .isNull();
    }

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.run(args).close();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(RetryAutoConfiguration.class)
    static class App {}
}
