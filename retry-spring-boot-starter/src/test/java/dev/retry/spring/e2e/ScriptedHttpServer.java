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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on a random loopback port that answers each request to a path with the next
 * step of that path's script: a status (with optional {@code Retry-After}), a slow or held answer,
 * or a dropped connection. The last step repeats. It records every request it receives.
 */
final class ScriptedHttpServer implements AutoCloseable {

    record Step(int status, String body, String retryAfter, Duration delay, boolean drop, CountDownLatch heldUntil) {

        static Step ok(String body) {
            return new Step(200, body, null, Duration.ZERO, false, null);
        }

        static Step status(int status) {
            return new Step(status, "status " + status, null, Duration.ZERO, false, null);
        }

        static Step retryAfter(int status, String retryAfter) {
            return new Step(status, "status " + status, retryAfter, Duration.ZERO, false, null);
        }

        static Step slow(String body, Duration delay) {
            return new Step(200, body, null, delay, false, null);
        }

        /**
         * An answer that is not sent until the test calls {@link #release()}: a client that returns
         * before then cannot have waited for it, however slow the machine (released anyway after
         * {@link #LONGEST_HOLD}, so that a broken test cannot hang the server).
         */
        static Step heldUntilReleased(String body) {
            return new Step(200, body, null, Duration.ZERO, false, new CountDownLatch(1));
        }

        static Step dropConnection() {
            return new Step(0, null, null, Duration.ZERO, true, null);
        }

        /** Lets a {@link #heldUntilReleased} answer go. */
        void release() {
            heldUntil.countDown();
        }
    }

    static final Duration LONGEST_HOLD = Duration.ofSeconds(30);

    /** One request as the server saw it. */
    record Request(String path, long receivedAtNanos, String idempotencyKey) {}

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
            return requests.stream()
                    .filter(request -> request.path().equals(path))
                    .toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(
                path, System.nanoTime(), exchange.getRequestHeaders().getFirst("Idempotency-Key")));
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
            if (step.heldUntil() != null) {
                step.heldUntil().await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
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
