package io.innkeeper.core.domain;

import io.innkeeper.core.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the domain: every {@link Domain} on the classpath is listed by {@link ServiceLoader}; one
 * alone is the domain, and where several are, the {@value #SETTING} setting (an environment
 * variable, or a system property where the local runtime hosts the functions) names the one to use.
 * A missing or ambiguous domain is an error that names what was found.
 */
public final class Domains {
  /** The setting that picks a domain by {@link Domain#name()}. */
  public static final String SETTING = "INNKEEPER_DOMAIN";

  private Domains() {}

  /** The domain of this deployment: the only one, or the one {@value #SETTING} names. */
  public static Domain load() {
    return select(available(), Env.get(SETTING));
  }

  /** The domain named {@code name}, among those on the classpath. */
  public static Domain named(String name) {
    return select(available(), Optional.of(name));
  }

  /** Every domain on the classpath, in the order the service files list them. */
  public static List<Domain> available() {
    List<Domain> found = new ArrayList<>();
    ServiceLoader.load(Domain.class, Domains.class.getClassLoader()).forEach(found::add);
    return found;
  }

  /**
   * Picks a domain.
   *
   * @param wanted the name asked for, if any
   * @throws IllegalStateException when none is found, the name matches none, or several are found
   *     and none is named
   */
  static Domain select(List<Domain> found, Optional<String> wanted) {
    List<String> names = found.stream().map(Domain::name).toList();
    if (wanted.isPresent()) {
      List<Domain> matching =
          found.stream().filter(d -> d.name().equals(wanted.get().strip())).toList();
      if (matching.size() == 1) {
        return matching.get(0);
      }
      throw new IllegalStateException(
          matching.isEmpty()
              ? SETTING + "=" + wanted.get() + " names no domain on the classpath; found " + names
              : "several domains on the classpath are named " + wanted.get() + ": " + matching);
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    throw new IllegalStateException(
        found.isEmpty()
            ? "no domain on the classpath: a domain implements "
                + Domain.class.getName()
                + " and lists its class in META-INF/services/"
                + Domain.class.getName()
            : "several domains on the classpath "
                + names
                + "; set "
                + SETTING
                + " to the name of the one to run");
  }
}
