package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.apigatewayv2.CfnRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.IConstruct;

/**
 * cdk-nag's AwsSolutions pack over the real stack: no finding, error or warning, may be left
 * unacknowledged, and the acknowledged ones are exactly the reviewed list, each on the construct it
 * excuses.
 */
class NagTest {

  private static Nagged innkeeper;

  /** A synthesized app with its validation report. */
  private record Nagged(InnkeeperStack stack, boolean synthFailed, JsonNode report) {

    /** Unacknowledged findings as "rule at construct path". */
    List<String> open() {
      List<String> open = new ArrayList<>();
      for (JsonNode violation : awsSolutions().path("violations")) {
        for (JsonNode construct : violation.path("violatingConstructs")) {
          open.add(
              violation.path("ruleName").asText()
                  + " ("
                  + violation.path("severity").asText()
                  + ") at "
                  + construct.path("constructPath").asText());
        }
      }
      return open;
    }

    JsonNode awsSolutions() {
      for (JsonNode plugin : report.path("pluginReports")) {
        if (Nag.PACK.equals(plugin.path("pluginName").asText())) {
          return plugin;
        }
      }
      throw new AssertionError("cdk-nag did not run: " + report);
    }
  }

  private static synchronized Nagged innkeeper() {
    if (innkeeper == null) {
      innkeeper = nag("nag", stack -> {});
    }
    return innkeeper;
  }

  /** The Innkeeper app, changed by {@code change}, synthesized with the AwsSolutions pack. */
  private static Nagged nag(String name, Consumer<InnkeeperStack> change) {
    App app = Synth.app(name);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, NagPackProps.builder().build()));
    InnkeeperStack stack = InnkeeperApp.create(app);
    change.accept(stack);
    boolean failed = false;
    try {
      app.synth();
    } catch (RuntimeException e) {
      // Error-level findings fail synthesis; the report says which.
      if (!String.valueOf(e.getMessage()).contains("ValidationFailed")) {
        throw e;
      }
      failed = true;
    }
    Path report = Path.of(app.getOutdir(), "validation-report.json");
    try {
      return new Nagged(stack, failed, Synth.JSON.readTree(Files.readString(report)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void awsSolutionsLeavesNoFindingUnacknowledged() {
    Nagged nagged = innkeeper();
    assertFalse(nagged.synthFailed(), "synthesis with cdk-nag succeeds");
    assertEquals(List.of(), nagged.open(), "unacknowledged errors and warnings");
    assertEquals("success", nagged.awsSolutions().path("conclusion").asText());
  }

  @Test
  void theAcknowledgedFindingsAreExactlyTheReviewedOnes() {
    InnkeeperStack stack = innkeeper().stack();
    Set<String> expected = new TreeSet<>();
    for (InnkeeperFunction fn : stack.functions().values()) {
      expected.add(ack("L1", fn.function()));
      expected.add(ack("IAM5[Resource::*]", fn.role().getNode().findChild("DefaultPolicy")));
      for (Trigger trigger : fn.spec().triggers()) {
        if (trigger instanceof Trigger.StreamTrigger s && s.onFailureQueueId() != null) {
          expected.add(ack("SQS3", stack.queues().get(s.onFailureQueueId())));
        }
      }
    }
    for (TableSpec table : stack.topology().tables()) {
      if (table.role() != TableSpec.Role.RECORD) {
        expected.add(ack("DDB3", stack.tables().get(table.id())));
      }
    }
    expected.add(ack("COG2", stack.api().userPool()));
    expected.add(ack("COG8", stack.api().userPool()));
    int publicRoutes = 0;
    for (IConstruct child : stack.api().httpApi().getNode().getChildren()) {
      if (child instanceof HttpRoute route
          && "NONE".equals(((CfnRoute) route.getNode().getDefaultChild()).getAuthorizationType())) {
        expected.add(ack("APIG4", route));
        publicRoutes++;
      }
    }
    assertEquals(3, publicRoutes, "the contract's three public routes");

    Set<String> acknowledged = new TreeSet<>();
    for (JsonNode suppressed : innkeeper().awsSolutions().path("suppressedViolations")) {
      acknowledged.add(
          suppressed.path("ruleName").asText()
              + " at "
              + suppressed.path("acknowledgedAt").asText());
    }
    assertEquals(expected, acknowledged);
  }

  /**
   * The narrowest scope: each acknowledgment excuses only the resource of the construct it sits on,
   * never a parent's other children, and says why.
   */
  @Test
  void everyAcknowledgmentSitsOnTheResourceItExcusesAndGivesAReason() {
    JsonNode suppressed = innkeeper().awsSolutions().path("suppressedViolations");
    assertFalse(suppressed.isEmpty());
    for (JsonNode finding : suppressed) {
      String at = finding.path("acknowledgedAt").asText();
      String what = finding.path("ruleName").asText() + " at " + at;
      assertEquals(
          Nag.id(finding.path("ruleName").asText().substring(Nag.PACK.length() + 1)),
          finding.path("acknowledgedId").asText(),
          what);
      for (JsonNode construct : finding.path("violatingConstructs")) {
        assertEquals(at + "/Resource", construct.path("constructPath").asText(), what);
      }
      assertTrue(finding.path("reason").asText().length() >= 80, what + ": a specific reason");
    }
  }

  /** The check above is live: an unreviewed resource fails it, by error and by warning alike. */
  @Test
  void anUnreviewedResourceIsReported() {
    Nagged nagged =
        nag(
            "nag-unreviewed",
            stack -> {
              // No TLS-only policy and no dead-letter queue: errors.
              new Queue(stack, "Unreviewed");
              // No point-in-time recovery: a warning, which does not stop synthesis.
              Table.Builder.create(stack, "UnreviewedTable")
                  .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                  .build();
            });
    assertTrue(nagged.synthFailed(), "an error-level finding fails synthesis");
    List<String> open = nagged.open();
    assertTrue(
        open.contains("AwsSolutions-SQS4 (error) at Innkeeper/Unreviewed/Resource"),
        open::toString);
    assertTrue(
        open.contains("AwsSolutions-DDB3 (warning) at Innkeeper/UnreviewedTable/Resource"),
        open::toString);
  }

  private static String ack(String rule, IConstruct construct) {
    return Nag.PACK + "-" + rule + " at " + construct.getNode().getPath();
  }
}
