package dev.retry.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The house rules of retry-core, checked on its compiled classes. */
class ArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.retry");
    }

    @Test
    void theCoreDependsOnNothingButTheJdkAndItself() {
        classes()
                .that()
                .resideInAPackage("dev.retry..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.retry..", "org.jspecify.annotations")
                .because("retry-core must put nothing on a user's class path, Spring least of all; JSpecify's"
                        + " nullness annotations are needed to compile only (provided, requires static)")
                .check(core);
    }

    @Test
    void onlyTheSystemTimeSourcesReadTheClockSleepOrDrawRandomNumbersForPolicies() {
        noClasses()
                .that()
                .doNotHaveSimpleName("SystemTime")
                .should()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(Thread.class, "sleep", long.class)
                .orShould()
                .callMethod(Thread.class, "sleep", long.class, int.class)
                .orShould()
                .callMethod(Math.class, "random")
                .orShould()
                .callMethod(java.time.Instant.class, "now")
                .because(
                        "time, sleeping and randomness are injected, so that every policy can be tested in virtual time")
                .check(core);
    }

    @Test
    void implementationClassesAreNotPartOfTheApi() {
        classes()
                .that()
                .haveSimpleNameEndingWith("Execution")
                .or()
                .haveSimpleName("FailureClassifier")
                .or()
                .haveSimpleName("SafeRetryListener")
                .or()
                .haveSimpleName("SafeHedgeListener")
                .or()
                .haveSimpleName("SafeTimeoutListener")
                .or()
                .haveSimpleName("SafeBulkheadListener")
                .or()
                .haveSimpleName("BulkheadPermits")
                .or()
                .haveSimpleName("LatencyHistogram")
                .or()
                .haveSimpleName("SystemTime")
                .or()
                .haveSimpleName("Exceptions")
                .or()
                .haveSimpleName("Durations")
                .should()
                .notBePublic()
                .because("only the API is public; implementations stay package-private")
                .check(core);
    }
}
