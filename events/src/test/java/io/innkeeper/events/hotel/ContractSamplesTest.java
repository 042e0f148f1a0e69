package io.innkeeper.events.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.events.Json;
import io.innkeeper.events.TypeRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Freezes the wire form of every event and command: a change to a field name, type or order makes
 * these tests fail, so a contract change is always a visible diff of {@code samples/}.
 */
class ContractSamplesTest {

  @Test
  void every_event_type_has_a_frozen_sample_and_a_schema() throws IOException {
    checkFamily(HotelDomainEvent.TYPES, Samples.EVENTS);
  }

  @Test
  void every_command_type_has_a_frozen_sample_and_a_schema() throws IOException {
    checkFamily(HotelDomainCommand.TYPES, Samples.COMMANDS);
  }

  private static <T> void checkFamily(TypeRegistry<T> registry, List<? extends T> samples)
      throws IOException {
    Set<String> sampled = new HashSet<>();
    for (T sample : samples) {
      TypeRegistry.Encoded encoded = registry.encode(sample);
      String file = encoded.type() + ".v" + encoded.version() + ".json";
      String frozen = resource("/samples/" + file).strip();
      assertEquals(frozen, encoded.json(), "wire form of " + file + " changed");
      assertEquals(sample, registry.decode(encoded.type(), encoded.version(), frozen));
      assertFitsSchema(
          Json.parseObject(frozen), Json.parseObject(resource("/schemas/" + file)), file);
      sampled.add(encoded.type());
    }
    assertEquals(registry.currentVersions().keySet(), sampled, "types without a frozen sample");
  }

  /** The parts of JSON Schema our schemas use at the top level: required and closed properties. */
  @SuppressWarnings("unchecked")
  private static void assertFitsSchema(
      Map<String, Object> doc, Map<String, Object> schema, String file) {
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    for (Object required : (List<Object>) schema.get("required")) {
      assertTrue(doc.containsKey(required), file + " misses required " + required);
    }
    if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
      for (String key : doc.keySet()) {
        assertTrue(properties.containsKey(key), file + " has " + key + " not in its schema");
      }
    }
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = ContractSamplesTest.class.getResourceAsStream(path)) {
      assertNotNull(in, "missing resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
