package io.innkeeper.core.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The generic machinery knows the domain only through {@link Domain}: no production class of the
 * core, the handlers or the events module's generic part depends on a class of the hotel domain
 * (its code or its contracts). The hotel domain is reached through its service file alone.
 * infra/local and infra/cdk hold the same rule for their own code.
 */
class DomainBoundaryTest {
  /** Our classes only: the other jars on the classpath cannot hold them, and are big to scan. */
  private static final ImportOption OURS = l -> !l.isJar() || l.contains("/innkeeper-");

  static final String[] HOTEL = {"io.innkeeper.hotel..", "io.innkeeper.events.hotel.."};

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(OURS)
          .importPackages("io.innkeeper");

  @Test
  void nothing_outside_the_hotel_domain_depends_on_it() {
    // The rule must see what it guards, or it passes on nothing.
    for (String module : new String[] {"core.domain", "core.command", "functions", "events"}) {
      assertTrue(
          MAIN.stream().anyMatch(c -> c.getPackageName().equals("io.innkeeper." + module)),
          "no main class of io.innkeeper." + module + " imported");
    }
    assertTrue(MAIN.stream().anyMatch(c -> c.getPackageName().startsWith("io.innkeeper.hotel")));

    noClasses()
        .that()
        .resideOutsideOfPackages(HOTEL)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(HOTEL)
        .because("the machinery sees a domain only through io.innkeeper.core.domain.Domain")
        .check(MAIN);
  }
}
