package dev.retry.sample.downstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * The service the sample calls: a real HTTP server on its own loopback port, answering stock,
 * reservation and search requests with JSON, and injecting whatever {@link Faults} says: errors,
 * 503 and 429 with {@code Retry-After}, an outage, a slow tail, dropped connections.
 *
 * <p>Listening as soon as its bean is ready, so that clients built from {@link #baseUrl()} can
 * use it at once; stopped with the application context.
 */
public final class FlakyDownstream implements InitializingBean, DisposableBean {

    static {
        // The JDK's server writes headers and body separately; with Nagle's algorithm on, the client's
        // delayed acknowledgement then adds some 40 ms to every answer, which would swamp the latencies
        // the sample is about. Read once, when the server's configuration is first loaded.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Normal answers take 5 to 15 ms; a slow one twenty times as long. */
    private static final int BASE_LATENCY_MILLIS = 5;

    private static final int LATENCY_SPREAD_MILLIS = 10;
    private static final int SLOW_FACTOR = 20;

    private final Faults faults;
    private final int requestedPort;
    private HttpServer server;
    private ExecutorService workers;

    public FlakyDownstream(Faults faults, int port) {
        this.faults = faults;
        this.requestedPort = port;
    }

    /** The base URL of the running server. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public synchronized void afterPropertiesSet() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 200);
        } catch (IOException failed) {
            throw new IllegalStateException("the flaky downstream could not listen on port " + requestedPort, failed);
        }
        workers = Executors.newFixedThreadPool(64, runnable -> {
            Thread thread = new Thread(runnable, "flaky-downstream");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public synchronized void destroy() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        FaultPreset fault = faults.current();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            if (random.nextDouble() < fault.dropRate) {
                return; // closed below without any answer: the client sees the connection drop
            }
            if (fault.outage) {
                answer(exchange, 503, "{\"error\":\"down for maintenance\"}", null);
                return;
            }
            if (random.nextDouble() < fault.rateLimitRate) {
                answer(exchange, 429, "{\"error\":\"slow down\"}", "1");
                return;
            }
            if (random.nextDouble() < fault.retryAfterRate) {
                answer(exchange, 503, "{\"error\":\"busy\"}", "1");
                return;
            }
            if (random.nextDouble() < fault.errorRate) {
                answer(exchange, 500, "{\"error\":\"internal\"}", null);
                return;
            }
            long latency = BASE_LATENCY_MILLIS + random.nextInt(LATENCY_SPREAD_MILLIS + 1);
            boolean slow = random.nextDouble() < fault.slowShare;
            if (slow) {
                latency *= SLOW_FACTOR;
            }
            TimeUnit.MILLISECONDS.sleep(latency);
            answer(exchange, 200, body(exchange.getRequestURI().getPath(), slow), null);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the caller hung up (a hedge that lost): nothing more to say
        } finally {
            exchange.close();
        }
    }

    /** The answer's JSON; a search result also says whether it came from the slow tail. */
    private static String body(String path, boolean slow) {
        String[] parts = path.split("/");
        String kind = parts.length > 1 ? parts[1] : "";
        String key = parts.length > 2 ? parts[2] : "";
        return switch (kind) {
            case "stock" -> "{\"sku\":\"" + key + "\",\"available\":" + Math.abs(key.hashCode() % 50) + "}";
            case "reserve" ->
                "{\"sku\":\"" + key + "\",\"reservation\":\"R-" + Math.abs(key.hashCode()) + "\",\"pending\":false}";
            case "restock" -> "{\"sku\":\"" + key + "\",\"restocked\":true}";
            case "search" ->
                "{\"query\":\"" + key + "\",\"hits\":" + Math.abs(key.hashCode() % 100) + ",\"slowAnswer\":" + slow
                        + "}";
            default -> "{}";
        };
    }

    private static void answer(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
