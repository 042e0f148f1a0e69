package io.innkeeper.perf.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.fixture.ColdStartChain;
import io.innkeeper.hotel.HotelDomain;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ColdStartCommandTest {
  private static final ColdStartChain CHAIN = new HotelDomain().fixtures().coldStart();

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private int run(String... args) {
    return ColdStartCommand.run(
        List.of(args),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        err);
  }

  private static ColdStartCommand.Options parse(String... args) {
    ColdStartCommand command = new ColdStartCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  @Test
  void options_have_defaults_and_are_read() {
    ColdStartCommand.Options defaults = parse();
    assertEquals(5, defaults.runs());
    assertNull(defaults.out());
    assertNull(defaults.artifact());

    ColdStartCommand.Options o =
        parse(
            "--runs", "3",
            "--out", "reports",
            "--artifact", "f.jar",
            "--jvm-opt", "-Xlog:startuptime",
            "--jvm-opt", "-Xint");
    assertEquals(3, o.runs());
    assertEquals(Path.of("reports").toAbsolutePath(), o.out());
    assertEquals(Path.of("f.jar").toAbsolutePath(), o.artifact());
    assertEquals(List.of("-Xlog:startuptime", "-Xint"), o.jvmOptions());
  }

  @Test
  void bad_options_are_refused_with_the_reason() {
    assertEquals(2, run("--runs", "0"));
    assertEquals(2, run("--runs"));
    assertEquals(2, run("--fast"));
    String said = errBytes.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--runs must be a number from 1 to 1000, not 0"), said);
    assertTrue(said.contains("Missing required parameter for option '--runs'"), said);
    assertTrue(said.contains("Unknown option: '--fast'"), said);
    assertTrue(said.contains("Usage: coldstart"), said);
  }

  @Test
  void a_missing_functions_jar_is_a_clear_failure() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        ColdStartCommand.run(
            List.of("--artifact", "/nonexistent/innkeeper-functions.jar"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            err);
    assertEquals(ColdStartCommand.EXIT_FAILED, code);
    assertTrue(
        errBytes.toString(StandardCharsets.UTF_8).contains("no functions jar at /nonexistent"),
        errBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void every_function_of_the_topology_gets_a_link_of_the_chain() {
    Topology topology = Topology.innkeeper();
    ColdStartCommand.Roles roles = ColdStartCommand.Roles.of(topology, CHAIN);
    assertEquals(
        topology.functions().stream().map(FunctionSpec::id).sorted().toList(),
        roles.inOrder().stream().map(FunctionSpec::id).sorted().toList());
    assertEquals(roles.queue().queueId(), "command-queue");
    assertEquals(roles.stream().tableId(), "events");
  }

  @Test
  void a_function_the_chain_has_no_event_for_is_refused_rather_than_left_out() {
    Topology topology = Topology.innkeeper();
    List<FunctionSpec> functions = new ArrayList<>(topology.functions());
    functions.add(
        new FunctionSpec(
            "reporter",
            "io.innkeeper.functions.ReporterHandler",
            512,
            10,
            Map.of(),
            List.of(new Trigger.HttpRoute("GET", "/reports", true)),
            List.of()));
    Topology extended =
        new Topology(
            topology.tables(),
            topology.queues(),
            functions,
            topology.projections(),
            topology.topics(),
            topology.subscriptions());

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ColdStartCommand.Roles.of(extended, CHAIN));
    assertTrue(e.getMessage().contains("no first event for function reporter"), e.getMessage());
    assertFalse(e.getMessage().contains("guest-messages"), e.getMessage());
  }

  @Test
  void links_are_picked_by_what_the_functions_do_not_by_their_trigger_type() {
    Topology topology = Topology.innkeeper();
    ColdStartCommand.Roles roles = ColdStartCommand.Roles.of(topology, CHAIN);
    // Two SQS consumers and two stream readers: the command path takes the command route's queue,
    // the projector writes the query tables, the publisher publishes to the bus.
    assertEquals("command-handler", roles.consume().id());
    assertEquals("projector", roles.project().id());
    assertEquals("publisher", roles.publish().id());
    assertEquals(Topology.EVENT_BUS, roles.topicId());
    assertEquals(roles.stream().tableId(), roles.published().tableId());
    assertEquals(1, roles.services().size());
    ColdStartCommand.Roles.Service service = roles.services().get(0);
    assertEquals("guest-messages", service.consume().id());
    assertEquals("guest-messages-queue", service.queue().queueId());
    assertEquals("guest-messages-api", service.api().id());
    assertEquals("GET /me/messages", service.route());
    assertEquals(
        List.of(
            "command-api",
            "command-handler",
            "projector",
            "query-api",
            "publisher",
            "guest-messages",
            "guest-messages-api"),
        roles.inOrder().stream().map(FunctionSpec::id).toList());
  }

  @Test
  void a_domain_without_subscriber_services_gets_the_chain_without_their_links() {
    Topology topology = Topology.innkeeper();
    List<String> services =
        topology.subscriptions().stream()
            .flatMap(
                s ->
                    topology.functions().stream()
                        .filter(
                            f ->
                                f.triggers().stream()
                                    .anyMatch(
                                        t ->
                                            t instanceof Trigger.SqsTrigger q
                                                && q.queueId().equals(s.queueId()))))
            .map(FunctionSpec::id)
            .toList();
    assertEquals(List.of("guest-messages"), services);
    List<FunctionSpec> functions =
        topology.functions().stream().filter(f -> !f.id().startsWith("guest-messages")).toList();
    Topology plain =
        new Topology(
            topology.tables(),
            topology.queues(),
            functions,
            topology.projections(),
            topology.topics(),
            List.of());

    ColdStartCommand.Roles roles = ColdStartCommand.Roles.of(plain, CHAIN);
    assertEquals(List.of(), roles.services());
    assertEquals(
        List.of("command-api", "command-handler", "projector", "query-api", "publisher"),
        roles.inOrder().stream().map(FunctionSpec::id).toList());
  }

  @Test
  void a_subscriber_service_the_chain_cannot_read_back_is_refused() {
    ColdStartChain withoutServiceRead =
        new ColdStartChain() {
          @Override
          public String commandRoute() {
            return CHAIN.commandRoute();
          }

          @Override
          public String readRoute() {
            return CHAIN.readRoute();
          }

          @Override
          public String setUp(io.innkeeper.core.domain.fixture.Api api) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Request command(int run) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Request readBack(io.innkeeper.core.domain.fixture.Api.Answer accepted) {
            throw new UnsupportedOperationException();
          }
        };
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ColdStartCommand.Roles.of(Topology.innkeeper(), withoutServiceRead));
    assertEquals(
        "coldstart has no first event for function guest-messages; coldstart has no first event"
            + " for function guest-messages-api",
        e.getMessage());
  }
}
