package io.innkeeper.cdk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The CDK app and the topology see the domain only through {@code Domain}: none of their production
 * classes depends on a class of the hotel domain (its code or its contracts), so replacing the
 * domain does not touch them.
 */
class DomainBoundaryTest {
  /** Our classes only: the other jars on the classpath cannot hold them, and are big to scan. */
  private static final ImportOption OURS = l -> !l.isJar() || l.contains("/innkeeper-");

  private static final String[] HOTEL = {"io.innkeeper.hotel..", "io.innkeeper.events.hotel.."};

  @Test
  void neither_the_cdk_app_nor_the_topology_depends_on_the_hotel_domain() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(OURS)
            .withImportOption(OURS)
            .importPackages("io.innkeeper.cdk", "io.innkeeper.topology");
    assertTrue(main.contain(InnkeeperStack.class));
    assertTrue(main.contain(io.innkeeper.topology.Topology.class));

    noClasses()
        .that()
        .resideOutsideOfPackages(HOTEL)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(HOTEL)
        .because("the stack is generated from io.innkeeper.core.domain.Domain, never a domain")
        .check(main);
  }
}
