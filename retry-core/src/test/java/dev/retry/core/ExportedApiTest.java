package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The types retry-core exports are exactly those in {@code exported-api.txt}: a type that becomes
 * public by accident (a helper made public to reach it from a test, say) fails the build here,
 * because once users import it, it can never be taken back without breaking them.
 */
class ExportedApiTest {

    private static final String ALLOW_LIST = "/exported-api.txt";

    @Test
    void theExportedTypesAreExactlyTheAllowList() throws IOException {
        Set<String> exported = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.retry").stream()
                        .filter(ExportedApiTest::reachableByUsers)
                        .map(JavaClass::getName)
                        .collect(Collectors.toCollection(TreeSet::new));
        Set<String> allowed = allowList();

        Set<String> unexpected = new TreeSet<>(exported);
        unexpected.removeAll(allowed);
        Set<String> gone = new TreeSet<>(allowed);
        gone.removeAll(exported);
        assertThat(unexpected)
                .as(
                        "public types that are not in src/test/resources%s; make them package-private, or, if users"
                                + " are meant to use them, add their names to that file (and to CHANGELOG.md)",
                        ALLOW_LIST)
                .isEmpty();
        assertThat(gone)
                .as(
                        "types in src/test/resources%s that are no longer exported: removing a public type breaks"
                                + " users; if that is meant, take their names out of the file and say so in CHANGELOG.md",
                        ALLOW_LIST)
                .isEmpty();
    }

    /** Public, and every class around it public too (a public type nested in a hidden one is not exported). */
    private static boolean reachableByUsers(JavaClass type) {
        if (type.isAnonymousClass()
                || type.isLocalClass()
                || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        Optional<JavaClass> enclosing = type.getEnclosingClass();
        return enclosing.map(ExportedApiTest::reachableByUsers).orElse(true);
    }

    private static Set<String> allowList() throws IOException {
        try (InputStream in = ExportedApiTest.class.getResourceAsStream(ALLOW_LIST)) {
            assertThat(in).as("src/test/resources" + ALLOW_LIST).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
