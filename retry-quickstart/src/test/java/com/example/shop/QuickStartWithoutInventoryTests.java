package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The quick start's first {@code curl}, as most readers will first run it: with no inventory service
 * at all, every attempt's connection is refused, and the fallback answers what the README says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuickStartWithoutInventoryTests {

    @DynamicPropertySource
    static void inventoryUrlWhereNothingListens(DynamicPropertyRegistry properties) {
        int closedPort = freePort();
        properties.add("inventory.url", () -> "http://localhost:" + closedPort);
    }

    @LocalServerPort
    int port;

    @Test
    void theStockOfASkuIsTheFallbacksAfterTheRetriesWhileNothingAnswers() {
        RestClient http = RestClient.create("http://localhost:" + port);

        String stock = http.get().uri("/stock/A-1").retrieve().body(String.class);

        assertThat(stock).isEqualTo("{\"sku\":\"A-1\",\"quantity\":-1}");
        assertThat(http.get().uri("/actuator/prometheus").retrieve().body(String.class))
                .as("the README's grep '^retry_calls' finds the call that failed after its retries")
                .containsPattern("(?m)^retry_calls_total\\{[^}]*outcome=\"failure_after_retry\"[^}]*\\} 1\\.0$");
    }

    /** A port that was free a moment ago and that nothing listens on now. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException cannotListen) {
            throw new UncheckedIOException(cannotListen);
        }
    }
}
