package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.emulators.AwsEndpoints;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The embedded servers stay the default; external endpoints are an explicit choice. */
class LocalOptionsTest {
  private static final URI EDGE = URI.create("http://127.0.0.1:4566");

  @Test
  void the_embedded_servers_are_the_default() {
    assertTrue(LocalOptions.defaults().embedded());
    assertNull(LocalOptions.defaults().external());
    assertTrue(new LocalOptions(LocalOptions.defaults().topology(), 0, null, false).embedded());
  }

  @Test
  void external_endpoints_survive_the_other_withers_and_can_be_dropped_again() {
    LocalOptions options =
        LocalOptions.defaults()
            .withExternal(AwsEndpoints.all(EDGE))
            .withPort(0)
            .withSeed(false)
            .withDataDir(null);
    assertFalse(options.embedded());
    assertEquals(new AwsEndpoints(EDGE, EDGE, EDGE), options.external());
    assertTrue(options.withExternal(null).embedded());
  }

  @Test
  void external_endpoints_must_be_http_urls_with_a_host() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new AwsEndpoints(URI.create("127.0.0.1:4566"), EDGE, EDGE));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AwsEndpoints(EDGE, URI.create("file:/tmp"), EDGE));
    assertThrows(
        IllegalArgumentException.class, () -> new AwsEndpoints(EDGE, EDGE, URI.create("/queue")));
    assertThrows(NullPointerException.class, () -> new AwsEndpoints(EDGE, EDGE, null));
    new AwsEndpoints(EDGE, URI.create("HTTPS://streams.dynamodb.eu-west-1.amazonaws.com"), EDGE);
  }
}
