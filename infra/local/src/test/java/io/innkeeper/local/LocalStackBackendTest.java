package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.local.SharedRuntime.Backend;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Backend selection and the LocalStack skip decision, without Docker. */
class LocalStackBackendTest {

  private static final Supplier<Optional<String>> DOCKER = Optional::empty;
  private static final Supplier<Optional<String>> NO_DOCKER =
      () -> Optional.of("DOCKER_HOST unset, no /var/run/docker.sock");

  @Test
  void the_embedded_backend_is_the_default() {
    assertEquals(Backend.EMBEDDED, Backend.parse(null));
    assertEquals(Backend.EMBEDDED, Backend.parse(" "));
    assertEquals(Backend.EMBEDDED, Backend.parse("embedded"));
    assertEquals(Backend.LOCALSTACK, Backend.parse("localstack"));
    assertEquals(Backend.LOCALSTACK, Backend.parse(" LocalStack "));
  }

  @Test
  void an_unknown_backend_fails_instead_of_quietly_running_embedded() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Backend.parse("localstak"));
    assertTrue(e.getMessage().contains("innkeeper.it.backend=localstak"), e.getMessage());
    assertTrue(e.getMessage().contains("embedded or localstack"), e.getMessage());
  }

  @Test
  void without_docker_the_suite_is_skipped_and_says_why() {
    assertEquals(
        Optional.of(
            "LocalStack ITs skipped: no Docker engine found (Testcontainers: DOCKER_HOST unset,"
                + " no /var/run/docker.sock)"),
        LocalStackBackend.skipReason(LocalStackBackend.DEFAULT_IMAGE, null, NO_DOCKER));
  }

  @Test
  void docker_is_the_reason_given_first_when_the_token_is_missing_too() {
    Optional<String> reason =
        LocalStackBackend.skipReason("localstack/localstack:latest", null, NO_DOCKER);
    assertTrue(reason.orElseThrow().contains("no Docker engine found"), reason.toString());
  }

  @Test
  void an_image_that_needs_a_token_is_skipped_without_one() {
    for (String token : new String[] {null, "", "  "}) {
      assertEquals(
          Optional.of(
              "LocalStack ITs skipped: localstack/localstack:2026.03.0 needs LOCALSTACK_AUTH_TOKEN,"
                  + " which is not set"),
          LocalStackBackend.skipReason("localstack/localstack:2026.03.0", token, DOCKER));
    }
    assertEquals(
        Optional.empty(),
        LocalStackBackend.skipReason("localstack/localstack:2026.03.0", "ls-token", DOCKER));
  }

  @Test
  void the_pinned_image_runs_with_docker_alone() {
    assertEquals(
        Optional.empty(),
        LocalStackBackend.skipReason(LocalStackBackend.DEFAULT_IMAGE, null, DOCKER));
  }

  @Test
  void docker_is_asked_once_per_decision() {
    AtomicInteger asked = new AtomicInteger();
    LocalStackBackend.skipReason(
        LocalStackBackend.DEFAULT_IMAGE,
        null,
        () -> {
          asked.incrementAndGet();
          return Optional.empty();
        });
    assertEquals(1, asked.get());
  }

  @Test
  void which_images_need_an_auth_token() {
    assertFalse(LocalStackBackend.needsAuthToken("localstack/localstack:4.14.0"));
    assertFalse(LocalStackBackend.needsAuthToken("localstack/localstack:4.14"));
    assertFalse(LocalStackBackend.needsAuthToken("localstack/localstack:3.8.1"));
    assertFalse(
        LocalStackBackend.needsAuthToken("mirror.example:5000/localstack/localstack:4.14.0"));
    assertTrue(LocalStackBackend.needsAuthToken("localstack/localstack:2026.03.0"));
    assertTrue(LocalStackBackend.needsAuthToken("localstack/localstack:latest"));
    assertTrue(LocalStackBackend.needsAuthToken("localstack/localstack"));
    assertTrue(LocalStackBackend.needsAuthToken("mirror.example:5000/localstack/localstack"));
    assertTrue(LocalStackBackend.needsAuthToken("localstack/localstack@sha256:0123abcd"));
    assertTrue(LocalStackBackend.needsAuthToken("localstack/localstack-pro:4.14.0"));
  }

  @Test
  void the_pinned_image_is_the_default_and_a_property_replaces_it() {
    String before = System.getProperty(LocalStackBackend.IMAGE_PROPERTY);
    try {
      System.clearProperty(LocalStackBackend.IMAGE_PROPERTY);
      assertEquals("localstack/localstack:4.14.0", LocalStackBackend.image());
      System.setProperty(LocalStackBackend.IMAGE_PROPERTY, " localstack/localstack:2026.03.0 ");
      assertEquals("localstack/localstack:2026.03.0", LocalStackBackend.image());
    } finally {
      if (before == null) {
        System.clearProperty(LocalStackBackend.IMAGE_PROPERTY);
      } else {
        System.setProperty(LocalStackBackend.IMAGE_PROPERTY, before);
      }
    }
  }
}
