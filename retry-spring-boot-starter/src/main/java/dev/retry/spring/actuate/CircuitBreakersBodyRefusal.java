package dev.retry.spring.actuate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriUtils;

/**
 * What the Spring MVC and the WebFlux handlers of a non-JSON {@code POST} to the {@code
 * circuitbreakers} endpoint share: which breaker a path names, and the endpoint's 400 body as JSON.
 * Written without a JSON library, because the starter must not need one on the class path.
 */
final class CircuitBreakersBodyRefusal {

    private final Supplier<@Nullable String> endpointPath;
    private final CircuitBreakersEndpoint endpoint;

    CircuitBreakersBodyRefusal(Supplier<@Nullable String> endpointPath, CircuitBreakersEndpoint endpoint) {
        this.endpointPath = endpointPath;
        this.endpoint = endpoint;
    }

    boolean hasBreaker(String name) {
        return endpoint.hasBreaker(name);
    }

    /**
     * The breaker named by {@code path} (the request's path within the application, after any servlet
     * path given as {@code servletPath}), or {@code null} when the path is not {@code <endpoint>/<name>}.
     */
    @Nullable
    String breakerName(String path, String servletPath) {
        String mapped = endpointPath.get();
        if (mapped == null) {
            return null;
        }
        String endpointPrefix = mapped.endsWith("/") ? mapped : mapped + "/";
        String prefix = path.startsWith(endpointPrefix) ? endpointPrefix : servletPath + endpointPrefix;
        if (!path.startsWith(prefix)) {
            return null;
        }
        String name = path.substring(prefix.length());
        return name.isEmpty() || name.contains("/") ? null : UriUtils.decode(name, StandardCharsets.UTF_8);
    }

    /** The endpoint's 400 for a body of {@code contentType} ({@code null}: none was sent). */
    static String json(String name, @Nullable String contentType) {
        String type = contentType == null ? "no type" : contentType;
        return json(CircuitBreakersEndpoint.refusal(name, "the body is " + type + ", not JSON"));
    }

    /**
     * The endpoint's 400 for a JSON body the actuator could not read as names with single values:
     * malformed, or with a state that is an array or an object.
     */
    static String unreadableJson(String name) {
        return json(CircuitBreakersEndpoint.refusal(
                name, "the body is not a JSON object whose state is one name written as a string"));
    }

    private static String json(Map<String, Object> refusal) {
        StringBuilder json = new StringBuilder("{");
        refusal.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quoted(key)).append(':');
            if (value instanceof List<?> list) {
                json.append('[');
                for (int i = 0; i < list.size(); i++) {
                    json.append(i > 0 ? "," : "").append(quoted(String.valueOf(list.get(i))));
                }
                json.append(']');
            } else {
                json.append(quoted(String.valueOf(value)));
            }
        });
        return json.append('}').toString();
    }

    private static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
