package dev.retry.spring.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a random loopback port that answers each request to a path with the next
 * step of that path's script: a status (with optional {@code Retry-After}), a slow answer, or a
 * dropped connection. The last step repeats. It records every request it receives.
 */
final class ScriptedHttpServer implements AutoCloseable {

    record Step(int status, String body, String retryAfter, Duration delay, boolean drop) {

        static Step ok(String body) {
            return new Step(200, body, null, Duration.ZERO, false);
        }

        static Step status(int status) {
            return new Step(status, "status " + status, null, Duration.ZERO, false);
        }

        static Step retryAfter(int status, String retryAfter) {
            return new Step(status, "status " + status, retryAfter, Duration.ZERO, false);
        }

        static Step slow(String body, Duration delay) {
            return new Step(200, body, null, delay, false);
        }

        static Step dropConnection() {
            return new Step(0, null, null, Duration.ZERO, true);
        }
    }

    /** One request as the server saw it. */
    record Request(String path, long receivedAtNanos, String idempotencyKey) {
    }

    static {
        // Headers and body go out in separate writes; without this, Nagle's algorithm and the client's
        // delayed acknowledgement add some 40 ms to every answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final Map<String, Deque<Step>> scripts = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    ScriptedHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void script(String path, Step... steps) {
        scripts.put(path, new ConcurrentLinkedDeque<>(List.of(steps)));
    }

    List<Request> requests(String path) {
        synchronized (requests) {
            return requests.stream().filter(request -> request.path().equals(path)).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(path, System.nanoTime(), exchange.getRequestHeaders().getFirst("Idempotency-Key")));
        Deque<Step> script = scripts.get(path);
        Step step = script == null ? Step.status(404) : script.size() > 1 ? script.poll() : script.peek();
        try {
            if (step.drop()) {
                exchange.close(); // no status line at all: the client sees the connection end
                return;
            }
            if (!step.delay().isZero()) {
                Thread.sleep(step.delay().toMillis());
            }
            byte[] body = step.body().getBytes(StandardCharsets.UTF_8);
            if (step.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", step.retryAfter());
            }
            exchange.sendResponseHeaders(step.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // a hedge's loser hung up; nothing to answer
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
