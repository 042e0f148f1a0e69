package io.innkeeper.core.domain;

import io.innkeeper.core.Env;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The physical names of a domain's query tables, by table id. Code names a table by its id ({@code
 * tables.name("hotels")}); the platform chose the physical name (CloudFormation on AWS, the local
 * runtime locally) and hands it to the functions as {@code <ID>_TABLE}.
 */
public final class Tables {
  private final Map<String, String> names;

  private Tables(Map<String, String> names) {
    this.names = Map.copyOf(names);
  }

  /** Tables with these physical names, by id. */
  public static Tables of(Map<String, String> namesById) {
    return new Tables(namesById);
  }

  /** Each table named like its id: what tests and in-memory stores use. */
  public static Tables byId(Collection<String> ids) {
    Map<String, String> names = new LinkedHashMap<>();
    ids.forEach(id -> names.put(id, id));
    return new Tables(names);
  }

  /**
   * The tables as the function's environment names them ({@link #environmentVariable}).
   *
   * @throws IllegalStateException when a variable is not set
   */
  public static Tables fromEnvironment(Collection<String> ids) {
    Map<String, String> names = new LinkedHashMap<>();
    ids.forEach(id -> names.put(id, Env.require(environmentVariable(id))));
    return new Tables(names);
  }

  /**
   * The variable that carries a table's physical name: {@code reservations -> RESERVATIONS_TABLE}.
   */
  public static String environmentVariable(String tableId) {
    return tableId.toUpperCase(Locale.ROOT).replace('-', '_') + "_TABLE";
  }

  /**
   * The physical name of a table.
   *
   * @throws IllegalArgumentException for an id these tables do not have, which is a wiring error: a
   *     function given tables it was not granted, or a table the domain never declared
   */
  public String name(String tableId) {
    String name = names.get(tableId);
    if (name == null) {
      throw new IllegalArgumentException(
          "no table " + tableId + " here; there are " + names.keySet());
    }
    return name;
  }

  /** The table ids. */
  public Set<String> ids() {
    return names.keySet();
  }

  /** Physical names by id. */
  public Map<String, String> names() {
    return names;
  }

  @Override
  public String toString() {
    return "Tables" + names;
  }
}
