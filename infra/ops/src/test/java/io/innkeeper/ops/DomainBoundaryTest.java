package io.innkeeper.ops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The operator tool sees the domain only through {@code Domain} and its fixtures: no production
 * class of infra/ops (verify, rebuild, redrive, smoke) depends on the hotel domain's code or
 * contracts, as infra/perf's and infra/local's DomainBoundaryTest hold for theirs. Smoke's steps
 * are the domain's ({@code Fixtures.smoke()}).
 */
class DomainBoundaryTest {
  private static final String[] HOTEL = {"io.innkeeper.hotel..", "io.innkeeper.events.hotel.."};

  @Test
  void the_operator_tool_does_not_depend_on_the_hotel_domain() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // ops' own classes are in target/classes; scanning every jar for them takes minutes.
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.innkeeper.ops");
    assertTrue(main.contain(SmokeCommand.class));
    assertTrue(main.contain(RecordCheck.class));
    assertTrue(main.contain(RedriveCommand.class));

    noClasses()
        .that()
        .resideOutsideOfPackages(HOTEL)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(HOTEL)
        .because("the operator tool sees a domain only through its Domain and fixtures")
        .check(main);
  }
}
