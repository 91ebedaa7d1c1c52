package dev.retry.sample;

import dev.retry.sample.dashboard.Timeline;
import dev.retry.sample.downstream.Faults;
import dev.retry.sample.downstream.FlakyDownstream;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * A web application that calls a flaky warehouse service over real HTTP through {@code retry}'s
 * annotations, drives demo traffic through phases of trouble, and shows what happens at {@code /}.
 *
 * <p>Its bean methods take what they need as parameters and never call each other, so the class
 * needs no CGLIB subclass ({@code proxyBeanMethods = false}): one class fewer to generate, and the
 * same class whether the application runs as it is or after Spring's ahead-of-time processing.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    @Bean
    Faults faults() {
        return new Faults();
    }

    @Bean
    FlakyDownstream flakyDownstream(Faults faults, @Value("${sample.downstream.port:0}") int port) {
        return new FlakyDownstream(faults, port);
    }

    @Bean
    CatalogClient catalogClient(RestClient.Builder http, FlakyDownstream downstream) {
        return new CatalogClient(http.baseUrl(downstream.baseUrl()).build());
    }

    @Bean
    Restocking restocking(RestClient.Builder http, FlakyDownstream downstream) {
        return new Restocking(http.baseUrl(downstream.baseUrl()).build());
    }

    @Bean
    SearchLatency searchLatency(MeterRegistry meters) {
        return new SearchLatency(meters);
    }

    @Bean
    Timeline timeline(MeterRegistry meters, RetryRegistry policies, SearchLatency latency) {
        return new Timeline(meters, policies, latency);
    }

    @Bean
    DemoTraffic demoTraffic(
            CatalogClient catalog,
            Restocking restocking,
            SearchLatency latency,
            Faults faults,
            Timeline timeline,
            @Value("${demo:true}") boolean enabled,
            @Value("${sample.demo.calls-per-second:20}") int callsPerSecond,
            @Value("${sample.demo.phase-seconds:20}") int phaseSeconds,
            @Value("${sample.demo.summary-seconds:5}") int summarySeconds) {
        return new DemoTraffic(
                catalog, restocking, latency, faults, timeline, enabled, callsPerSecond, phaseSeconds, summarySeconds);
    }
}
