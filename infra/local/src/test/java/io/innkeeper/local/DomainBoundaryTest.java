package io.innkeeper.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.innkeeper.rooms.RoomsDomain;
import org.junit.jupiter.api.Test;

/**
 * The local runtime and the operator tool see the domain only through {@code Domain}: no production
 * class of infra/local (runtime, gateway, pollers), infra/ops (verify, rebuild, redrive, smoke),
 * infra/client or the topology depends on the hotel domain's code or contracts (infra/perf holds
 * the same rule for bench, soak and coldstart). And the second domain proves the core is enough:
 * the meeting rooms depend on the core and the generic contract types only.
 */
class DomainBoundaryTest {
  /** Our classes only: the other jars on the classpath cannot hold them, and are big to scan. */
  private static final ImportOption OURS = l -> !l.isJar() || l.contains("/innkeeper-");

  private static final String[] HOTEL = {"io.innkeeper.hotel..", "io.innkeeper.events.hotel.."};

  @Test
  void neither_the_runtime_nor_its_tools_depend_on_the_hotel_domain() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(OURS)
            .withImportOption(OURS)
            .importPackages(
                "io.innkeeper.local",
                "io.innkeeper.ops",
                "io.innkeeper.client",
                "io.innkeeper.topology");
    assertTrue(main.contain(LocalRuntime.class));
    assertTrue(main.contain(io.innkeeper.ops.SmokeCommand.class));
    assertTrue(main.contain(io.innkeeper.client.HttpApi.class));

    noClasses()
        .that()
        .resideOutsideOfPackages(HOTEL)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(HOTEL)
        .because("the runtime and the tools see a domain only through its Domain and fixtures")
        .check(main);
  }

  @Test
  void the_second_domain_is_built_on_the_core_alone() {
    JavaClasses rooms = new ClassFileImporter().importPackages("io.innkeeper.rooms");
    assertTrue(rooms.contain(RoomsDomain.class));

    classes()
        .that()
        .resideInAPackage("io.innkeeper.rooms..")
        .and()
        .haveSimpleNameNotEndingWith("Test")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.innkeeper.rooms..", "io.innkeeper.core..", "io.innkeeper.events", "java..")
        .check(rooms);
  }
}
