package dev.retry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.docs.ConfigurationMetadata.Property;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration-reference.md is what the starter's metadata says, and the generator says it faithfully. */
class ConfigurationReferenceTests {

    private static final Path PAGE = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("configuration-reference.md");

    @Test
    void thePageInTheRepositoryIsTheOneTheStartersMetadataGives() throws IOException {
        String generated = ConfigurationReference.render(ConfigurationMetadata.ofTheStarter());
        String committed = Files.readString(PAGE, StandardCharsets.UTF_8);

        assertThat(committed)
                .as("docs/configuration-reference.md is stale: the starter's configuration metadata says otherwise."
                        + " Regenerate it with%n  %s%nand commit it", ConfigurationReference.REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void everyKeyOfTheStartersMetadataIsOnThePageWithItsDescription() {
        ConfigurationMetadata metadata = ConfigurationMetadata.ofTheStarter();
        String page = ConfigurationReference.render(metadata);

        assertThat(metadata.properties()).extracting(Property::name).contains("retry.strict-names",
                "retry.policies.default.max-attempts", "retry.bulkheads.default.max-wait");
        for (Property property : metadata.properties()) {
            String key = property.name().replaceFirst("^retry\\.(policies|circuit-breakers|hedges|timeouts|bulkheads)\\.[^.]+\\.", "");
            if (property.type().startsWith("java.util.Map<")) {
                assertThat(page).as("the section %s", property.name()).contains("## `" + property.name() + ".<name>`");
            } else {
                assertThat(page).as("the key %s", property.name()).contains("| `" + key + "` |");
            }
            assertThat(page).as("the description of %s", property.name())
                    .contains(property.description().replace("|", "\\|").strip());
        }
    }

    @Test
    void aKeyDescribedUnderSeveralEntriesIsListedOnceWithTheDefaultEntrysWords() {
        String merged = """
                {"properties": [
                  {"name": "retry.policies", "type": "java.util.Map<java.lang.String,Policy>", "description": "Policies by name."},
                  {"name": "retry.policies.inventory.max-attempts", "type": "java.lang.Integer", "description": "As inventory has it."},
                  {"name": "retry.policies.default.max-attempts", "type": "java.lang.Integer", "description": "Total attempts.", "defaultValue": 3}
                ]}""";
        String page = ConfigurationReference.render(ConfigurationMetadata.of(merged, "{\"properties\": []}"));

        assertThat(page).contains("## `retry.policies.<name>` (used by `@Retryable`)")
                .contains("| `max-attempts` | whole number | `3` | Total attempts. |")
                .doesNotContain("As inventory has it.");
    }

    @Test
    void keysFollowTheHandWrittenMetadatasOrderAndTheRestFollowSortedByName() {
        String merged = """
                {"properties": [
                  {"name": "retry.b", "type": "java.lang.Boolean", "description": "B.", "defaultValue": false},
                  {"name": "retry.c", "type": "java.lang.Boolean", "description": "C.", "defaultValue": true},
                  {"name": "retry.a", "type": "java.time.Duration", "description": "A.", "defaultValue": "1s"}
                ],
                "hints": [{"name": "retry.c", "values": [{"value": "true", "description": "Yes."}]}]}""";
        String additional = "{\"properties\": [{\"name\": \"retry.c\"}]}";
        String page = ConfigurationReference.render(ConfigurationMetadata.of(merged, additional));

        assertThat(page).containsSubsequence("| `retry.c` |", "| `retry.a` | duration | `1s` | A. |",
                "| `retry.b` | boolean | `false` | B. |");
    }
}
