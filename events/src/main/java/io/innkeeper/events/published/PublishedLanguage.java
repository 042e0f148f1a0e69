package io.innkeeper.events.published;

import io.innkeeper.events.ContractException;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.TypeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a domain publishes on the event bus: its published types (a {@link TypeRegistry} over their
 * sealed root, every one at version 1 because the major version is part of the name) and the
 * mapping from each internal event to its published event, or to nothing.
 *
 * <p>Evolution rules (docs/event-bus.md): within a type, only optional fields are added, and
 * subscribers ignore fields they do not know; any other change (a field removed, renamed, retyped,
 * made required, or its meaning changed) is a new type with the next major version in its name,
 * published side by side with the old one for the deprecation period, after which the old one is no
 * longer published. A type name, once published, never changes meaning.
 *
 * @param types the published types by stable name
 * @param mapping what each internal event publishes; an exhaustive switch over the domain's sealed
 *     event root, so a new internal event is a compile error there
 */
public record PublishedLanguage(
    TypeRegistry<PublishedEvent> types, Function<DomainEvent, Optional<PublishedEvent>> mapping) {

  /**
   * A published type name: reverse-DNS segments of lower-case letters, digits and hyphens, the last
   * one the major version ({@code io.innkeeper.hotel.reservation.placed.v1}).
   */
  public static final Pattern TYPE_NAME =
      Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+\\.v[1-9][0-9]*");

  /** A domain that publishes nothing. */
  public static final PublishedLanguage NONE =
      new PublishedLanguage(
          TypeRegistry.<PublishedEvent>builder("published").build(), e -> Optional.empty());

  public PublishedLanguage {
    List<String> problems = new ArrayList<>();
    types
        .currentVersions()
        .forEach(
            (name, version) -> {
              if (!TYPE_NAME.matcher(name).matches()) {
                problems.add(name + " is not a reverse-DNS name ending in .v<major>");
              }
              if (version != 1) {
                problems.add(
                    name + " has schema version " + version + "; a new version is a new type");
              }
            });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("published language: " + String.join("; ", problems));
    }
  }

  /** The published type names, in registration order. */
  public List<String> typeNames() {
    return List.copyOf(types.currentVersions().keySet());
  }

  /** Whether the domain publishes anything at all. */
  public boolean publishesAnything() {
    return !types.currentVersions().isEmpty();
  }

  /**
   * The integration event of an internal event stored at {@code version} of {@code stream}, or
   * empty when the event publishes nothing.
   *
   * @param source the deployment's source ({@link CloudEvent#sourceOf})
   */
  public Optional<CloudEvent> publish(
      String source, String stream, long version, java.time.Instant occurredAt, DomainEvent event) {
    return mapping
        .apply(event)
        .map(
            published -> {
              TypeRegistry.Encoded encoded = types.encode(published);
              return new CloudEvent(
                  CloudEvent.idOf(stream, version),
                  source,
                  encoded.type(),
                  occurredAt,
                  stream,
                  version,
                  types.toMap(published));
            });
  }

  /**
   * The published event a CloudEvent carries.
   *
   * @throws ContractException for a type this language does not have, or data that does not fit it
   */
  public PublishedEvent read(CloudEvent event) {
    return types.decode(event.type(), 1, event.data());
  }
}
