package io.innkeeper.events;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Stable type names and schema versions for a family of payloads (events or commands), with their
 * explicit JSON mapping and the upcasters that lift old stored versions to the current one.
 *
 * <p>Versioning rules: adding an optional field keeps the version (the record component is nullable
 * and old payloads read it as absent); any structural change (rename, removal, new required field,
 * changed meaning) bumps the version and registers an upcaster from the previous version. Stored
 * payloads are never rewritten; they are upcast when read. Type names never change and are never
 * derived from Java class names.
 *
 * @param <T> the family's base type
 */
public final class TypeRegistry<T> {

  /** A payload as stored or sent: stable type name, schema version and JSON body. */
  public record Encoded(String type, int version, String json) {}

  private record Registration<T>(
      String name,
      int version,
      Class<?> javaType,
      Function<Fields, ? extends T> reader,
      Function<Object, Map<String, Object>> writer) {}

  private final String family;
  private final Map<String, Registration<T>> byName;
  private final Map<Class<?>, Registration<T>> byClass;
  private final Map<String, UnaryOperator<Map<String, Object>>> upcasters;

  private TypeRegistry(
      String family,
      Map<String, Registration<T>> byName,
      Map<Class<?>, Registration<T>> byClass,
      Map<String, UnaryOperator<Map<String, Object>>> upcasters) {
    this.family = family;
    this.byName = Collections.unmodifiableMap(byName);
    this.byClass = Collections.unmodifiableMap(byClass);
    this.upcasters = Collections.unmodifiableMap(upcasters);
  }

  public static <T> Builder<T> builder(String family) {
    return new Builder<>(family, null);
  }

  /**
   * A builder for a family whose types are the records under a sealed root (through any depth of
   * sealed sub-interfaces): {@link Builder#build()} refuses to build while one of them is not
   * registered, so a new command or event cannot reach the wire without a stable name.
   */
  public static <T> Builder<T> builder(String family, Class<? extends T> sealedRoot) {
    if (!sealedRoot.isSealed()) {
      throw new IllegalArgumentException(sealedRoot.getName() + " is not sealed");
    }
    return new Builder<>(family, sealedRoot);
  }

  /**
   * Every concrete class under a sealed root, depth first in declaration order: what a registry
   * built with {@link #builder(String, Class)} must cover.
   */
  public static List<Class<?>> concreteTypes(Class<?> sealedRoot) {
    List<Class<?>> out = new ArrayList<>();
    collect(sealedRoot, out);
    return out;
  }

  private static void collect(Class<?> type, List<Class<?>> out) {
    if (type.isSealed()) {
      for (Class<?> sub : type.getPermittedSubclasses()) {
        collect(sub, out);
      }
    } else if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
      out.add(type);
    }
  }

  /** The Java classes registered, in registration order. */
  public List<Class<?>> registeredClasses() {
    return byName.values().stream().<Class<?>>map(Registration::javaType).toList();
  }

  /** The family, e.g. {@code event}. */
  public String family() {
    return family;
  }

  /** Registered type names with their current versions, in registration order. */
  public Map<String, Integer> currentVersions() {
    Map<String, Integer> out = new LinkedHashMap<>();
    byName.values().forEach(r -> out.put(r.name(), r.version()));
    return out;
  }

  /** Encodes a value at its current version. */
  public Encoded encode(T value) {
    Registration<T> r = registration(value);
    return new Encoded(r.name(), r.version(), Json.write(r.writer().apply(value)));
  }

  /** The JSON object of a value, at its current version. */
  public Map<String, Object> toMap(T value) {
    return registration(value).writer().apply(value);
  }

  /**
   * Decodes a stored payload, upcasting it from {@code version} to the current version first.
   *
   * @throws ContractException for an unknown type, a version from the future, or a payload that
   *     does not fit
   */
  public T decode(String type, int version, String json) {
    return decode(type, version, Json.parseObject(json));
  }

  /** Same as {@link #decode(String, int, String)} for an already parsed object. */
  public T decode(String type, int version, Map<String, Object> payload) {
    Registration<T> r = byName.get(type);
    if (r == null) {
      throw new ContractException("unknown " + family + " type '" + type + "'");
    }
    if (version < 1 || version > r.version()) {
      throw new ContractException(family + " " + type + " has unknown version " + version);
    }
    Map<String, Object> current = payload;
    for (int v = version; v < r.version(); v++) {
      UnaryOperator<Map<String, Object>> up = upcasters.get(type + "@" + v);
      current = up.apply(new LinkedHashMap<>(current));
    }
    try {
      return r.reader().apply(new Fields(current, type));
    } catch (ContractException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ContractException(type + ": " + e.getMessage(), e);
    }
  }

  private Registration<T> registration(T value) {
    Registration<T> r = byClass.get(value.getClass());
    if (r == null) {
      throw new ContractException(
          "unregistered " + family + " class " + value.getClass().getSimpleName());
    }
    return r;
  }

  /** Builds a registry; checks that every version above 1 has its upcaster. */
  public static final class Builder<T> {
    private final String family;
    private final Class<?> sealedRoot;
    private final Map<String, Registration<T>> byName = new LinkedHashMap<>();
    private final Map<Class<?>, Registration<T>> byClass = new HashMap<>();
    private final Map<String, UnaryOperator<Map<String, Object>>> upcasters = new HashMap<>();

    private Builder(String family, Class<?> sealedRoot) {
      this.family = family;
      this.sealedRoot = sealedRoot;
    }

    /**
     * Registers a type.
     *
     * @param name the stable name, never changed once published
     * @param version the current schema version
     */
    @SuppressWarnings("unchecked")
    public <S extends T> Builder<T> add(
        String name,
        int version,
        Class<S> javaType,
        Function<Fields, S> reader,
        Function<S, Map<String, Object>> writer) {
      var r = new Registration<T>(name, version, javaType, reader, v -> writer.apply((S) v));
      if (byName.putIfAbsent(name, r) != null || byClass.putIfAbsent(javaType, r) != null) {
        throw new IllegalStateException("registered twice: " + name);
      }
      return this;
    }

    /** Registers how to lift a payload of {@code type} from {@code fromVersion} to the next. */
    public Builder<T> upcast(
        String type, int fromVersion, UnaryOperator<Map<String, Object>> upcaster) {
      upcasters.put(type + "@" + fromVersion, upcaster);
      return this;
    }

    /**
     * Builds the registry.
     *
     * @throws IllegalStateException when a version has no upcaster, or a type under the sealed root
     *     (if one was given) is not registered
     */
    public TypeRegistry<T> build() {
      if (sealedRoot != null) {
        List<String> missing = new ArrayList<>();
        for (Class<?> type : concreteTypes(sealedRoot)) {
          if (!byClass.containsKey(type)) {
            missing.add(type.getName());
          }
        }
        if (!missing.isEmpty()) {
          throw new IllegalStateException(
              family
                  + " types under "
                  + sealedRoot.getSimpleName()
                  + " not registered: "
                  + missing);
        }
      }
      for (Registration<T> r : byName.values()) {
        for (int v = 1; v < r.version(); v++) {
          if (!upcasters.containsKey(r.name() + "@" + v)) {
            throw new IllegalStateException(
                r.name() + " v" + v + " has no upcaster to v" + (v + 1));
          }
        }
      }
      return new TypeRegistry<>(family, byName, byClass, upcasters);
    }
  }
}
