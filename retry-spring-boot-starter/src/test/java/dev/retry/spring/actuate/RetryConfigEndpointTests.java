package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Retryable;
import dev.retry.spring.config.RetryProperties;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.registry.RetryRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryConfigEndpointTests {

    @Test
    void showsEachLiveInstanceWithItsInheritedValuesInYamlNotation() {
        RetryProperties properties = new RetryProperties();
        RetryProperties.Policy defaults = new RetryProperties.Policy();
        defaults.setDelay(java.time.Duration.ofMillis(200));
        properties.getPolicies().put("default", defaults);
        RetryProperties.Policy inventory = new RetryProperties.Policy();
        inventory.setMaxAttempts(5);
        properties.getPolicies().put("inventory", inventory);
        RetryRegistry registry = new RetryRegistry(RetrySettings.of(properties), List.of(), null);

        RetryConfigEndpoint.RetryConfigDescriptor config = new RetryConfigEndpoint(registry).retryConfig();

        Map<String, Object> shown = config.policies().get("inventory");
        assertThat(shown)
                .containsEntry("max-attempts", 5)
                .containsEntry("delay", "200ms")
                .containsEntry("max-delay", "10s")
                .containsEntry("backoff", "exponential")
                .containsEntry("max-duration", "0s")
                .containsEntry("retry-on-status", List.of(408, 425, 429, 500, 502, 503, 504));
        assertThat(config.circuitBreakers().get("default"))
                .containsEntry("window", "count")
                .containsEntry("window-size", 100)
                .containsEntry("open-duration", "30s");
        assertThat(config.hedges().get("default"))
                .containsEntry("delay", "100ms")
                .containsEntry("max-hedges", 1);
        assertThat(config.timeouts().get("default")).containsEntry("duration", "1s");
        assertThat(config.bulkheads().get("default")).containsEntry("max-wait", "0s");
    }

    @Test
    void showsTheVariantAnAnnotationsInlineValuesBuilt() throws NoSuchMethodException {
        RetryRegistry registry = new RetryRegistry(RetrySettings.defaults(), List.of(), null);
        registry.retryPolicy(Annotated.class.getMethod("twice").getAnnotation(Retryable.class));

        Map<String, Map<String, Object>> policies =
                new RetryConfigEndpoint(registry).retryConfig().policies();

        assertThat(policies).containsKeys("default", "default @Retryable(maxAttempts=2)");
        assertThat(policies.get("default @Retryable(maxAttempts=2)")).containsEntry("max-attempts", 2);
        assertThat(policies.get("default")).containsEntry("max-attempts", 3);
    }

    @Test
    void writesDurationsInTheLargestUnitThatFitsExactly() {
        assertThat(RetryConfigEndpoint.duration(Duration.ofMillis(200))).isEqualTo("200ms");
        assertThat(RetryConfigEndpoint.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(RetryConfigEndpoint.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(RetryConfigEndpoint.duration(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(RetryConfigEndpoint.duration(Duration.ofNanos(1500))).isEqualTo("1500ns");
        assertThat(RetryConfigEndpoint.duration(Duration.ZERO)).isEqualTo("0s");
    }

    static class Annotated {

        @Retryable(maxAttempts = 2)
        public void twice() {}
    }
}
