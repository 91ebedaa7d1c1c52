package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The quick start as a reader follows it: its application started on a real port, its inventory
 * service answering over HTTP, and the requests the README shows, answered as the README says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuickStartApplicationTests {

    private static final InventoryService inventoryService = start();

    @DynamicPropertySource
    static void inventoryUrl(DynamicPropertyRegistry properties) {
        properties.add("inventory.url", inventoryService::url);
    }

    @AfterAll
    static void stopInventoryService() {
        inventoryService.close();
    }

    @LocalServerPort
    int port;

    private RestClient http() {
        return RestClient.create("http://localhost:" + port);
    }

    private String get(String path) {
        return http().get().uri(path).retrieve().body(String.class);
    }

    @Test
    void aStockCallThatMeetsOneServiceUnavailableIsRetriedAndAnswered() {
        inventoryService.failFirst("B-2", 1);
        double before = retryCalls("success_after_retry");

        assertThat(get("/stock/B-2")).isEqualTo("{\"sku\":\"B-2\",\"quantity\":7}");

        assertThat(inventoryService.requestsFor("B-2")).as("the 503, then the retry that got the stock").isEqualTo(2);
        assertThat(retryCalls("success_after_retry")).as("retry_calls_total{outcome=\"success_after_retry\"}")
                .isEqualTo(before + 1);
    }

    @Test
    void aStockCallThatNeverSucceedsIsTriedFourTimesThenAnsweredByTheFallback() {
        inventoryService.failFirst("A-1", Integer.MAX_VALUE);
        double before = retryCalls("failure_after_retry");

        assertThat(get("/stock/A-1")).isEqualTo("{\"sku\":\"A-1\",\"quantity\":-1}");

        assertThat(inventoryService.requestsFor("A-1")).as("max-attempts: 4").isEqualTo(4);
        assertThat(retryCalls("failure_after_retry")).as("retry_calls_total{outcome=\"failure_after_retry\"}")
                .isEqualTo(before + 1);
    }

    @Test
    void retryconfigShowsTheInventoryPolicyAndBreakerAsConfiguredOverTheBuiltInValues() {
        String config = get("/actuator/retryconfig");

        assertThat(JsonPath.<Integer>read(config, "$.policies.inventory['max-attempts']")).isEqualTo(4);
        assertThat(JsonPath.<Integer>read(config, "$.circuitBreakers.inventory['minimum-calls']")).isEqualTo(10);
        assertThat(JsonPath.<Integer>read(config, "$.circuitBreakers.inventory['half-open-calls']"))
                .as("not written in application.yml: the built-in value").isEqualTo(5);
    }

    @Test
    void circuitbreakersShowsTheInventoryBreaker() {
        String breakers = get("/actuator/circuitbreakers");

        assertThat(JsonPath.<String>read(breakers, "$.circuitBreakers.inventory.state")).isEqualTo("CLOSED");
    }

    @Test
    void prometheusServesTheRetryMetersFromTheStart() {
        assertThat(get("/actuator/prometheus")).contains("retry_calls_total{").contains("circuitbreaker_state{");
    }

    /** The sum of {@code retry_calls_total} for the inventory policy and one outcome, as Prometheus scrapes it. */
    private double retryCalls(String outcome) {
        Pattern line = Pattern.compile("(?m)^retry_calls_total\\{([^}]*)\\} (\\S+)$");
        Matcher matcher = line.matcher(get("/actuator/prometheus"));
        double total = 0;
        while (matcher.find()) {
            String tags = matcher.group(1);
            if (tags.contains("name=\"inventory\"") && tags.contains("outcome=\"" + outcome + "\"")) {
                total += Double.parseDouble(matcher.group(2));
            }
        }
        return total;
    }

    private static InventoryService start() {
        try {
            return new InventoryService();
        } catch (IOException cannotListen) {
            throw new IllegalStateException("the test's inventory service could not listen on a loopback port", cannotListen);
        }
    }
}
