package com.example.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inventory service the quick start's client calls, on a loopback port of its own: it answers
 * {@code /stock/{sku}} with {@code 503} for the first {@code failures} requests of a SKU, then with
 * the stock, and counts every request it gets.
 */
final class InventoryService implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Integer> failuresBeforeAnswer = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    InventoryService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/stock/", this::answer);
        server.start();
    }

    /** A service listening on a loopback port, for a test's static field. */
    static InventoryService onLoopback() {
        try {
            return new InventoryService();
        } catch (IOException cannotListen) {
            throw new IllegalStateException("the test's inventory service could not listen on a loopback port", cannotListen);
        }
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** The next {@code failures} requests for {@code sku} answer 503; {@link Integer#MAX_VALUE} for every one. */
    void failFirst(String sku, int failures) {
        failuresBeforeAnswer.put(sku, failures);
    }

    int requestsFor(String sku) {
        AtomicInteger count = requests.get(sku);
        return count == null ? 0 : count.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
        int request = requests.computeIfAbsent(sku, s -> new AtomicInteger()).incrementAndGet();
        boolean fail = request <= failuresBeforeAnswer.getOrDefault(sku, 0);
        byte[] body = (fail ? "{\"error\":\"unavailable\"}" : "{\"sku\":\"" + sku + "\",\"quantity\":7}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
