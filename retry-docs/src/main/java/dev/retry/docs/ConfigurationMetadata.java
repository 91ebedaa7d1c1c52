package dev.retry.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The retry starter's configuration metadata as its jar holds it: {@code spring-configuration-metadata.json},
 * which Spring Boot's configuration processor writes from the property classes and merges with the
 * hand-written {@code additional-spring-configuration-metadata.json}, and that additional file itself,
 * whose order of keys is the one a reader follows (the merged file is sorted by name).
 *
 * @param properties every property, in reading order
 * @param valuesByName the values a property's hint lists, by property name
 */
record ConfigurationMetadata(List<Property> properties, Map<String, List<Value>> valuesByName) {

    /** One key, as the metadata describes it; {@code defaultValue} is the JSON text of the default, or {@code null}. */
    record Property(String name, String type, String description, String defaultValue) {
    }

    /** A value a hint proposes, with what it means. */
    record Value(String value, String description) {
    }

    private static final String MERGED = "META-INF/spring-configuration-metadata.json";
    private static final String ADDITIONAL = "META-INF/additional-spring-configuration-metadata.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The metadata of the starter on the class path: the one file of each name that describes {@code retry}. */
    static ConfigurationMetadata ofTheStarter() {
        return of(retrysOwn(MERGED), retrysOwn(ADDITIONAL));
    }

    /** From the two files' JSON: {@code merged} gives the properties, {@code additional} their order. */
    static ConfigurationMetadata of(String merged, String additional) {
        JsonNode root = JSON.readTree(merged);
        Map<String, Property> byName = new LinkedHashMap<>();
        for (JsonNode property : root.path("properties")) {
            JsonNode defaultValue = property.path("defaultValue");
            byName.put(property.path("name").asString(), new Property(property.path("name").asString(),
                    property.path("type").asString(""), property.path("description").asString(""),
                    defaultValue.isMissingNode() || defaultValue.isNull() ? null : defaultValue.toString()));
        }
        List<Property> ordered = new ArrayList<>();
        for (JsonNode property : JSON.readTree(additional).path("properties")) {
            Property known = byName.remove(property.path("name").asString());
            if (known != null) {
                ordered.add(known);
            }
        }
        List<Property> rest = new ArrayList<>(byName.values());
        rest.sort((a, b) -> a.name().compareTo(b.name()));
        ordered.addAll(rest);

        Map<String, List<Value>> values = new LinkedHashMap<>();
        for (JsonNode hint : root.path("hints")) {
            List<Value> proposed = new ArrayList<>();
            for (JsonNode value : hint.path("values")) {
                proposed.add(new Value(value.path("value").asString(), value.path("description").asString("")));
            }
            if (!proposed.isEmpty()) {
                values.put(hint.path("name").asString(), List.copyOf(proposed));
            }
        }
        return new ConfigurationMetadata(List.copyOf(ordered), Map.copyOf(values));
    }

    /** Spring Boot's own jars hold files of the same names; the starter's is the one that speaks of {@code retry.}. */
    private static String retrysOwn(String resource) {
        try {
            for (URL url : Collections.list(ConfigurationMetadata.class.getClassLoader().getResources(resource))) {
                try (InputStream in = url.openStream()) {
                    String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    if (json.contains("\"retry.strict-names\"") || json.contains("\"retry.policies.")) {
                        return json;
                    }
                }
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException("Could not read " + resource + " from the class path", unreadable);
        }
        throw new IllegalStateException(resource + " of retry-spring-boot-starter is not on the class path;"
                + " build the starter first (./mvnw -pl retry-docs -am ...)");
    }
}
