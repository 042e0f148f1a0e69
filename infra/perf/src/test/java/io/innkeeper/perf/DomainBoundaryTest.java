package io.innkeeper.perf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.innkeeper.perf.bench.BenchCommand;
import io.innkeeper.perf.coldstart.ColdStartCommand;
import io.innkeeper.perf.soak.SoakCommand;
import org.junit.jupiter.api.Test;

/**
 * The performance tools see the domain only through {@code Domain} and its fixtures: no production
 * class of infra/perf depends on the hotel domain's code or contracts, as infra/local's
 * DomainBoundaryTest holds for the runtime and the operator tool.
 */
class DomainBoundaryTest {
  private static final String[] HOTEL = {"io.innkeeper.hotel..", "io.innkeeper.events.hotel.."};

  @Test
  void the_performance_tools_do_not_depend_on_the_hotel_domain() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.innkeeper.perf");
    assertTrue(main.contain(SoakCommand.class));
    assertTrue(main.contain(BenchCommand.class));
    assertTrue(main.contain(ColdStartCommand.class));

    noClasses()
        .that()
        .resideOutsideOfPackages(HOTEL)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(HOTEL)
        .because("the tools see a domain only through its Domain and fixtures")
        .check(main);
  }
}
