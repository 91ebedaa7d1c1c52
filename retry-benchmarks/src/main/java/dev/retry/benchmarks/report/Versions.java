package dev.retry.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions of what was measured, from the dependency list that the {@code benchmarks} profile
 * writes beside the benchmarks jar ({@code mvn dependency:list}): the exact versions Maven resolved,
 * which a merged jar no longer tells.
 */
public final class Versions {

    /** The artifacts the report names, in the order it lists them, with the name it gives them. */
    static final Map<String, String> MEASURED = named();

    /** {@code   group:artifact:type[:classifier]:version:scope}, as dependency:list prints one. */
    private static final Pattern LINE = Pattern.compile(
            "^\\s*([\\w.\\-]+):([\\w.\\-]+):[\\w\\-]+(?::[\\w\\-]+)?:([\\w.\\-]+):(?:compile|runtime|provided)\\b.*$");

    private final Map<String, String> byArtifact;

    private Versions(Map<String, String> byArtifact) {
        this.byArtifact = byArtifact;
    }

    private static Map<String, String> named() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("dev.retry:retry-core", "retry (this project)");
        names.put("dev.retry:retry-spring-boot-starter", "retry-spring-boot-starter (this project)");
        names.put("io.github.resilience4j:resilience4j-retry", "Resilience4j retry");
        names.put("io.github.resilience4j:resilience4j-circuitbreaker", "Resilience4j circuit breaker");
        names.put("io.github.resilience4j:resilience4j-spring6", "Resilience4j Spring 6 annotations");
        names.put("dev.failsafe:failsafe", "Failsafe");
        names.put("org.springframework:spring-core", "Spring Framework (RetryTemplate)");
        names.put("org.springframework:spring-context", "Spring Framework (@Retryable, contexts)");
        names.put("org.springframework.retry:spring-retry", "Spring Retry");
        names.put("org.aspectj:aspectjweaver", "AspectJ weaver (Resilience4j and Spring Retry aspects)");
        names.put("org.openjdk.jmh:jmh-core", "JMH");
        return Collections.unmodifiableMap(names);
    }

    /** No versions known: the report then names libraries without them. */
    public static Versions none() {
        return new Versions(Map.of());
    }

    public static Versions read(Path dependencyList) throws IOException {
        return parse(Files.readAllLines(dependencyList));
    }

    static Versions parse(List<String> lines) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                versions.put(matcher.group(1) + ":" + matcher.group(2), matcher.group(3));
            }
        }
        return new Versions(versions);
    }

    /** The version of {@code groupAndArtifact} ({@code group:artifact}), if it was on the class path. */
    public Optional<String> of(String groupAndArtifact) {
        return Optional.ofNullable(byArtifact.get(groupAndArtifact));
    }

    /** {@code name} followed by the artifact's version, or {@code name} alone when it is not known. */
    String label(String name, String groupAndArtifact) {
        return of(groupAndArtifact).map(version -> name + " " + version).orElse(name);
    }

    boolean known() {
        return !byArtifact.isEmpty();
    }
}
