package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Reserved concurrency is a context setting, off in {@code cdk.json}: a stack that reserves
 * executions cannot be deployed into an account with a small concurrency quota.
 */
class ReservedConcurrencyTest {

  @Test
  void by_default_no_function_reserves_concurrency() {
    assertEquals(false, Synth.cdkJsonContext().get(InnkeeperApp.RESERVED_CONCURRENCY));
    Synth synth = Synth.innkeeper();
    synth
        .stack
        .functions()
        .values()
        .forEach(
            fn ->
                assertFalse(
                    synth.properties(fn.function()).has("ReservedConcurrentExecutions"),
                    fn.spec().id()));
  }

  @Test
  void turned_on_it_reserves_for_the_functions_that_end_the_waits_and_caps_command_api() {
    Map<String, Object> context = new LinkedHashMap<>(Synth.cdkJsonContext());
    context.put(InnkeeperApp.FUNCTIONS_JAR, Synth.placeholderJar().toString());
    // As `cdk deploy -c reservedConcurrency=true` passes it: a string.
    context.put(InnkeeperApp.RESERVED_CONCURRENCY, "true");
    App app = App.Builder.create().context(context).outdir("target/cdk-test-out/reserved").build();
    InnkeeperStack stack = InnkeeperApp.create(app);
    JsonNode resources =
        Synth.JSON.valueToTree(Template.fromStack(stack).toJSON()).path("Resources");

    Map<String, Integer> reserved = new LinkedHashMap<>();
    stack
        .functions()
        .forEach(
            (id, fn) -> {
              JsonNode props =
                  resources
                      .path(
                          stack.getLogicalId(
                              (software.amazon.awscdk.CfnElement)
                                  fn.function().getNode().getDefaultChild()))
                      .path("Properties");
              if (props.has("ReservedConcurrentExecutions")) {
                reserved.put(id, props.path("ReservedConcurrentExecutions").asInt());
              }
            });
    assertEquals(ReservedConcurrency.byFunction(), reserved);
    assertEquals(127, ReservedConcurrency.ACCOUNT_QUOTA_NEEDED);
  }

  @Test
  void anything_but_true_or_false_is_refused() {
    Map<String, Object> context = new LinkedHashMap<>(Synth.cdkJsonContext());
    context.put(InnkeeperApp.FUNCTIONS_JAR, Synth.placeholderJar().toString());
    context.put(InnkeeperApp.RESERVED_CONCURRENCY, "yes");
    App app = App.Builder.create().context(context).outdir("target/cdk-test-out/bad").build();
    assertThrows(IllegalArgumentException.class, () -> InnkeeperApp.create(app));
  }
}
