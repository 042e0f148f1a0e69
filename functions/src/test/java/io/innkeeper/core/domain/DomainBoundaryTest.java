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

  /**
   * Subscribers never see internal events: the guest-messages service depends on the published
   * language and the generic core only, not on the hotel's internal events nor on the rest of the
   * hotel's code; and the published types depend on nothing internal either.
   */
  @Test
  void the_guest_messages_service_sees_the_published_language_only() {
    assertTrue(
        MAIN.stream().anyMatch(c -> c.getPackageName().equals("io.innkeeper.hotel.guestmessages")));
    noClasses()
        .that()
        .resideInAPackage("io.innkeeper.hotel.guestmessages..")
        .should()
        .dependOnClassesThat()
        // The internal events' own package, exactly: the published types are in a subpackage.
        .resideInAnyPackage(
            "io.innkeeper.events.hotel",
            "io.innkeeper.hotel",
            "io.innkeeper.hotel.booking..",
            "io.innkeeper.hotel.hotels..",
            "io.innkeeper.hotel.inventory..",
            "io.innkeeper.hotel.availability..",
            "io.innkeeper.hotel.occupancy..",
            "io.innkeeper.hotel.fixtures..",
            "io.innkeeper.core.eventstore..",
            "io.innkeeper.core.command..",
            "io.innkeeper.core.projection.ProjectorRuntime")
        .because("a subscriber depends on the published contract only (docs/event-bus.md)")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("io.innkeeper.events.hotel.published..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.innkeeper.events.hotel")
        .because("the published language is its own contract, not a view of the internal one")
        .check(MAIN);
  }

  /** The subscriber machinery is generic: it knows published events, never internal ones. */
  @Test
  void the_subscriber_runtime_does_not_read_internal_events() {
    noClasses()
        .that()
        .haveFullyQualifiedName("io.innkeeper.core.bus.SubscriberRuntime")
        .or()
        .haveFullyQualifiedName("io.innkeeper.core.bus.Subscriber")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.innkeeper.events.DomainEvent")
        .check(MAIN);
  }
}
