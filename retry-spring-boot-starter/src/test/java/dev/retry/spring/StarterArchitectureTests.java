package dev.retry.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
        starter = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.retry.spring");
    }

    @Test
    void autoConfigurationsArePublicFinalClasses() {
        classes().that().areAnnotatedWith(AutoConfiguration.class).should().bePublic().andShould().haveModifier(
                com.tngtech.archunit.core.domain.JavaModifier.FINAL)
                .because("an auto-configuration is not an extension point; users replace its beans instead")
                .check(starter);
    }

    @Test
    void beanMethodsOfAutoConfigurationsAreNotPublic() {
        methods().that().areAnnotatedWith(Bean.class).and().areDeclaredInClassesThat()
                .areAnnotatedWith(AutoConfiguration.class).should().notBePublic()
                .because("bean methods are not API: the beans they make are")
                .check(starter);
    }

    @Test
    void theInterceptorAndThePoliciesKnowNothingOfAutoConfiguration() {
        noClasses().that().resideInAnyPackage("dev.retry.spring.interceptor..", "dev.retry.spring.http..")
                .should().dependOnClassesThat().resideInAPackage("dev.retry.spring.autoconfigure..")
                .because("auto-configuration assembles the runtime; the runtime must not reach back into it")
                .check(starter);
    }
}
