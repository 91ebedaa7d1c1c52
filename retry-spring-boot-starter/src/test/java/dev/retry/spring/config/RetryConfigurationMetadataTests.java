package dev.retry.spring.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.retry.core.Backoff;
import dev.retry.core.CircuitBreakerConfig.WindowType;
import dev.retry.core.Jitter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The metadata an IDE reads while a user writes {@code retry.*}: the keys the configuration
 * processor generates from {@link RetryProperties}, and the keys inside each section's {@code default}
 * entry that {@code additional-spring-configuration-metadata.json} adds by hand because the processor
 * does not look into maps (for a named entry an IDE reads them from the entry class itself). Derived
 * from the property classes, so a new key without metadata, or an untyped one, fails here.
 */
class RetryConfigurationMetadataTests {

    private static final Map<String, Class<?>> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("policies", RetryProperties.Policy.class);
        SECTIONS.put("circuit-breakers", RetryProperties.CircuitBreaker.class);
        SECTIONS.put("hedges", RetryProperties.Hedge.class);
        SECTIONS.put("timeouts", RetryProperties.Timeout.class);
        SECTIONS.put("bulkheads", RetryProperties.Bulkhead.class);
    }

    private static String metadata;

    @BeforeAll
    static void readTheGeneratedMetadata() throws IOException {
        // Spring Boot's own jars hold files of the same name; ours is the one describing "retry".
        for (URL url : Collections.list(RetryConfigurationMetadataTests.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (json.contains("\"retry.strict-names\"")) {
                    metadata = json;
                }
            }
        }
        assertThat(metadata).as("the generated metadata of the retry starter").isNotNull();
    }

    @Test
    void everyKeyIsDescribed() {
        Map<String, Map<String, Object>> properties = properties();
        assertThat(properties).containsKeys(expectedKeys().toArray(String[]::new));
        properties.forEach((name, property) -> assertThat((String) property.get("description"))
                .as("description of %s", name)
                .isNotBlank());
    }

    @Test
    void eachSectionHoldsItsEntryClassAndTheDefaultEntrysKeysHaveTheTypesOfItsFields() {
        // An IDE reads a named entry's keys (retry.policies.inventory.jitter) from the class the
        // section's map holds, and the default entry's from this file: both must say the same.
        Map<String, Map<String, Object>> properties = properties();
        SECTIONS.forEach((section, type) -> assertThat(properties.get("retry." + section))
                .as(section)
                .containsEntry("type", "java.util.Map<java.lang.String," + type.getName() + ">"));
        keysWithTheirFields().forEach((key, field) -> {
            String type = field.getGenericType().getTypeName();
            if (key.endsWith("-on-status")) {
                type = "java.util.List<java.lang.Integer>"; // bound as text, checked by the starter
            } else if (key.endsWith("-on")) {
                type = "java.util.List<java.lang.Class<? extends java.lang.Throwable>>"; // likewise
            }
            assertThat(properties.get(key))
                    .as(key)
                    .containsEntry("type", type)
                    .containsEntry("sourceType", field.getDeclaringClass().getName());
        });
    }

    @Test
    void everyKeyOfAnEntryHasItsRealTypeSoThatAnIdeCanOfferItsValues() {
        // Text only where a type would cost the message: exception class names and HTTP statuses, which
        // the starter checks itself, and a hedge's delay, which is a duration or a percentile.
        keysWithTheirFields().forEach((key, field) -> {
            if (field.getType() == String.class) {
                assertThat(key).as("a key bound as text").endsWith(".hedges.default.delay");
            } else if (field.getType() == List.class) {
                assertThat(key).as("a list bound as text").matches(".*-on(-status)?");
            } else {
                assertThat(field.getType())
                        .as(key)
                        .isIn(
                                Integer.class,
                                Double.class,
                                Float.class,
                                Boolean.class,
                                java.time.Duration.class,
                                Backoff.class,
                                Jitter.class,
                                WindowType.class);
            }
        });
    }

    @Test
    void everyKeyOfADefaultEntryHasItsTypeAndDefaultValue() {
        Map<String, Map<String, Object>> properties = properties();
        for (String key : expectedKeys()) {
            if (key.contains(".default.")) {
                assertThat(properties.get(key)).as(key).containsKeys("type", "defaultValue", "sourceType");
            }
        }
        assertThat(properties.get("retry.strict-names")).containsEntry("defaultValue", true);
    }

    @Test
    void theDocumentedDefaultValuesAreTheBuiltInOnes() {
        // Writing every documented default explicitly must change nothing.
        Map<String, String> written = new LinkedHashMap<>();
        properties().forEach((name, property) -> {
            if (name.contains(".default.")) {
                Object value = property.get("defaultValue");
                written.put(
                        name,
                        value instanceof List<?> list
                                ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                                : String.valueOf(value));
            }
        });
        RetryProperties bound = new Binder(new MapConfigurationPropertySource(written))
                .bind("retry", RetryProperties.class)
                .get();
        assertThat(RetrySettings.of(bound)).usingRecursiveComparison().isEqualTo(RetrySettings.defaults());
    }

    @Test
    void enumKeysListEveryAllowedValueWithItsMeaning() {
        assertHintValues("retry.policies.default.backoff", Backoff.values());
        assertHintValues("retry.policies.default.jitter", Jitter.values());
        assertHintValues("retry.circuit-breakers.default.window", WindowType.values());
    }

    @Test
    void exceptionListsOfferExceptionClasses() {
        for (String key : List.of(
                "retry.policies.default.retry-on",
                "retry.policies.default.abort-on",
                "retry.circuit-breakers.default.record-on",
                "retry.circuit-breakers.default.ignore-on")) {
            List<String> targets = JsonPath.read(
                    metadata,
                    "$.hints[?(@.name == '" + key + "')].providers[?(@.name == 'class-reference')].parameters.target");
            assertThat(targets).as(key).containsExactly("java.lang.Throwable");
        }
    }

    private static void assertHintValues(String key, Enum<?>[] constants) {
        List<Map<String, Object>> values = JsonPath.read(metadata, "$.hints[?(@.name == '" + key + "')].values[*]");
        assertThat(values)
                .extracting(value -> value.get("value"))
                .as(key)
                .containsExactlyElementsOf(Arrays.stream(constants)
                        .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                        .toList());
        assertThat(values)
                .allSatisfy(
                        value -> assertThat((String) value.get("description")).isNotBlank());
    }

    private static Map<String, Map<String, Object>> properties() {
        List<Map<String, Object>> list = JsonPath.read(metadata, "$.properties[*]");
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        list.forEach(property -> byName.put((String) property.get("name"), property));
        return byName;
    }

    /** Every key of each section's default entry, with the field of the entry class it is bound to. */
    private static Map<String, Field> keysWithTheirFields() {
        Map<String, Field> keys = new LinkedHashMap<>();
        SECTIONS.forEach((section, type) -> addFields(keys, "retry." + section + ".default.", type));
        return keys;
    }

    private static void addFields(Map<String, Field> keys, String prefix, Class<?> group) {
        for (Field field : group.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String key = prefix + DataObjectPropertyName.toDashedForm(field.getName());
            if (field.getType().getEnclosingClass() == RetryProperties.class) {
                addFields(keys, key + ".", field.getType());
            } else {
                keys.put(key, field);
            }
        }
    }

    /** {@code retry.strict-names}, each section, and every key of each section's default entry. */
    private static List<String> expectedKeys() {
        List<String> keys = new ArrayList<>(List.of("retry.strict-names"));
        SECTIONS.forEach((section, type) -> {
            keys.add("retry." + section);
            addKeys(keys, "retry." + section + ".default.", type);
        });
        return keys;
    }

    private static void addKeys(List<String> keys, String prefix, Class<?> group) {
        for (Field field : group.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String key = prefix + DataObjectPropertyName.toDashedForm(field.getName());
            if (field.getType().getEnclosingClass() == RetryProperties.class) {
                addKeys(keys, key + ".", field.getType());
            } else {
                keys.add(key);
            }
        }
    }
}
