package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.retry.core.RetryPolicy;
import dev.retry.spring.actuate.RetryEventsEndpoint;
import dev.retry.spring.events.EventSection;
import dev.retry.spring.events.RecentEvents;
import dev.retry.spring.registry.RetryRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class RetryEventsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryEventsAutoConfiguration.class,
                    RetryEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=retryevents");

    @Test
    void byDefaultEveryPolicyTheRegistryBuildsKeepsAHundredEvents() {
        runner.withPropertyValues("retry.policies.inventory.max-attempts=2", "retry.policies.inventory.delay=0ms")
                .run(context -> {
                    RecentEvents events = context.getBean(RecentEvents.class);
                    assertThat(events.bufferSize()).isEqualTo(100);
                    RetryPolicy inventory =
                            context.getBean(RetryRegistry.class).retryPolicies().get("inventory");
                    for (int call = 0; call < 60; call++) {
                        try {
                            inventory.call(() -> {
                                throw new IllegalStateException("down");
                            });
                        } catch (IllegalStateException expected) {
                            // two events a call: the retry and the give-up
                        }
                    }
                    assertThat(events.events(EventSection.POLICIES, "inventory").orElseThrow())
                            .hasSize(100);
                    assertThat(context.getBean(RetryEventsEndpoint.class).events("policies", "inventory"))
                            .hasSize(100);
                });
    }

    @Test
    void aBufferSizeOfZeroRecordsNothingAndTheEndpointShowsEmptyLists() {
        runner.withPropertyValues("retry.events.buffer-size=0", "retry.policies.inventory.delay=0ms")
                .run(context -> {
                    RetryPolicy inventory =
                            context.getBean(RetryRegistry.class).retryPolicies().get("inventory");
                    try {
                        inventory.call(() -> {
                            throw new IllegalStateException("down");
                        });
                    } catch (IllegalStateException expected) {
                        // retried and given up, with nobody to record it
                    }
                    Map<String, Map<String, List<Map<String, Object>>>> all =
                            context.getBean(RetryEventsEndpoint.class).events();
                    assertThat(all.get("policies")).containsOnlyKeys("default", "inventory");
                    assertThat(all.values())
                            .allSatisfy(byName -> assertThat(byName.values())
                                    .allSatisfy(events -> assertThat(events).isEmpty()));
                });
    }

    @Test
    void withoutTheEndpointExposedTheEventsAreStillKept() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RetryAutoConfiguration.class,
                        RetryEventsAutoConfiguration.class,
                        RetryEndpointAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(RecentEvents.class);
                    assertThat(context).doesNotHaveBean(RetryEventsEndpoint.class);
                });
    }

    @Test
    void aNegativeBufferSizeStopsTheStartUpWithOneMessageNamingTheKeyAndTheRange(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--retry.events.buffer-size=-1"));
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid retry configuration: retry.events.buffer-size was '-1', but it must be a whole"
                        + " number from 0 (which records nothing) to 10000 (events kept per name)");
    }

    @Test
    void anAbsurdlyLargeOrUnreadableBufferSizeStopsTheStartUpToo(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--retry.events.buffer-size=1000000"));
        assertThatException().isThrownBy(() -> start("--retry.events.buffer-size=lots"));
        assertThat(output)
                .contains("retry.events.buffer-size was '1000000', but it must be a whole number from 0")
                .contains("Invalid retry configuration: retry.events.buffer-size was 'lots'");
    }

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.run(args).close();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({RetryAutoConfiguration.class, RetryEventsAutoConfiguration.class})
    static class App {}
}
