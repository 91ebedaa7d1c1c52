package dev.retry.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The starter's house rules, in the manner of Spring Boot's own modules. */
class StarterArchitectureTests {

    private static JavaClasses starter;

    @BeforeAll
    static void importStarter() {
        starter = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.retry.spring");
    }

    @Test
    void autoConfigurationsArePublicFinalClasses() {
        classes()
                .that()
                .areAnnotatedWith(AutoConfiguration.class)
                .should()
                .bePublic()
                .andShould()
                .haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
                .because("an auto-configuration is not an extension point; users replace its beans instead")
                .check(starter);
    }

    @Test
    void beanMethodsOfAutoConfigurationsAreNotPublic() {
        methods()
                .that()
                .areAnnotatedWith(Bean.class)
                .and()
                .areDeclaredInClassesThat()
                .areAnnotatedWith(AutoConfiguration.class)
                .should()
                .notBePublic()
                .because("bean methods are not API: the beans they make are")
                .check(starter);
    }

    @Test
    void theInterceptorAndThePoliciesKnowNothingOfAutoConfiguration() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.retry.spring.interceptor..", "dev.retry.spring.http..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.retry.spring.autoconfigure..")
                .because("auto-configuration assembles the runtime; the runtime must not reach back into it")
                .check(starter);
    }

    @Test
    void theStartersPackagesAreFreeOfCycles() {
        slices().matching("dev.retry.spring.(*)..")
                .should()
                .beFreeOfCycles()
                .because("packages that import each other in a loop can only be understood, changed and tested"
                        + " together; a tangle is one package with several names")
                .check(starter);
    }

    @Test
    void thePackagesAreLayeredConfigurationThenRegistryThenRuntimeWithAutoConfigurationOnTop() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("configuration")
                .definedBy("dev.retry.spring.config..")
                .layer("registry")
                .definedBy("dev.retry.spring.registry..")
                .layer("observation")
                .definedBy("dev.retry.spring.observation..")
                .layer("runtime")
                .definedBy(
                        "dev.retry.spring.interceptor..",
                        "dev.retry.spring.http..",
                        "dev.retry.spring.metrics..",
                        "dev.retry.spring.events..",
                        "dev.retry.spring.actuate..",
                        "dev.retry.spring.cloud..")
                .layer("auto-configuration")
                .definedBy("dev.retry.spring.autoconfigure..")
                .whereLayer("auto-configuration")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("runtime")
                .mayOnlyBeAccessedByLayers("auto-configuration", "runtime")
                .whereLayer("observation")
                .mayOnlyBeAccessedByLayers("runtime", "auto-configuration")
                .whereLayer("registry")
                .mayOnlyBeAccessedByLayers("runtime", "auto-configuration")
                .whereLayer("configuration")
                .mayOnlyBeAccessedByLayers("registry", "runtime", "auto-configuration")
                .because("the configuration is read and checked first, the registry builds policies from it, the"
                        + " runtime parts use the policies, and the auto-configurations assemble all of them;"
                        + " a lower layer that reached up would make each change ripple through all of them")
                .check(starter);
    }

    @Test
    void theRuntimePartsDoNotDependOnEachOther() {
        for (String part : new String[] {"interceptor", "http", "metrics", "events", "actuate"}) {
            noClasses()
                    .that()
                    .resideInAPackage("dev.retry.spring." + part + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            java.util.stream.Stream.of("interceptor", "http", "metrics", "events", "actuate")
                                    .filter(other -> !other.equals(part))
                                    .map(other -> "dev.retry.spring." + other + "..")
                                    .toArray(String[]::new))
                    .because("each runtime part meets the others only through the registry, so that any of them"
                            + " can be left out when its library is missing")
                    .check(starter);
        }
    }
}
