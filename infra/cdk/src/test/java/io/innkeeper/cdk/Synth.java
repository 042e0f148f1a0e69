package io.innkeeper.cdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.topology.Topology;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * A synthesized Innkeeper stack for assertions: built like the CLI builds it (the context of {@code
 * cdk.json}), but from a placeholder functions jar so the tests do not depend on the functions
 * module having been packaged.
 */
final class Synth {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final Path TARGET = Path.of("target");
  private static Synth innkeeper;

  final App app;
  final InnkeeperStack stack;
  final Template template;
  final JsonNode json;

  private Synth(App app, InnkeeperStack stack) {
    this.app = app;
    this.stack = stack;
    this.template = Template.fromStack(stack);
    this.json = JSON.valueToTree(template.toJSON());
  }

  /** The real topology, synthesized once per JVM: the first synth pays for starting jsii. */
  static synchronized Synth innkeeper() {
    if (innkeeper == null) {
      App app = app("shared");
      innkeeper = new Synth(app, InnkeeperApp.create(app));
    }
    return innkeeper;
  }

  /** Another topology, for the checks the real one cannot exercise. */
  static Synth of(Topology topology, String name) {
    App app = app(name);
    var stack =
        new InnkeeperStack(
            app,
            InnkeeperApp.STACK_ID,
            InnkeeperStackProps.builder()
                .topology(topology)
                .functionsJar(placeholderJar())
                .build());
    return new Synth(app, stack);
  }

  /** An app configured like {@code cdk synth} does it, writing to its own directory. */
  static App app(String name) {
    Map<String, Object> context = new LinkedHashMap<>(cdkJsonContext());
    context.put(InnkeeperApp.FUNCTIONS_JAR, placeholderJar().toString());
    return App.Builder.create()
        .context(context)
        .outdir(TARGET.resolve("cdk-test-out").resolve(name).toString())
        .build();
  }

  static Map<String, Object> cdkJsonContext() {
    try {
      JsonNode cdkJson = JSON.readTree(Path.of("cdk.json").toFile());
      return JSON.convertValue(cdkJson.get("context"), new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tiny, byte-for-byte reproducible jar, so the asset hash never changes between runs. */
  static synchronized Path placeholderJar() {
    Path jar = TARGET.resolve("test-assets").resolve("innkeeper-functions.jar").toAbsolutePath();
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    try {
      Files.createDirectories(jar.getParent());
      Path tmp = Files.createTempFile(jar.getParent(), "functions", ".jar");
      try (OutputStream out = Files.newOutputStream(tmp);
          ZipOutputStream zip = new ZipOutputStream(out)) {
        ZipEntry entry = new ZipEntry("README.txt");
        entry.setTime(0);
        zip.putNextEntry(entry);
        zip.write("placeholder for innkeeper-functions.jar".getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
      Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logicalId(IConstruct construct) {
    return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
  }

  JsonNode resource(String logicalId) {
    JsonNode resource = json.path("Resources").path(logicalId);
    if (resource.isMissingNode()) {
      throw new AssertionError("no resource " + logicalId);
    }
    return resource;
  }

  JsonNode properties(IConstruct construct) {
    return resource(logicalId(construct)).path("Properties");
  }

  /** Resources of one CloudFormation type, by logical id. */
  Map<String, JsonNode> resources(String type) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    json.path("Resources")
        .properties()
        .forEach(
            e -> {
              if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
              }
            });
    return found;
  }

  /** Every statement of every policy attached to the role of {@code fn}. */
  List<JsonNode> statements(InnkeeperFunction fn) {
    String roleId = logicalId(fn.role());
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode policy : resources("AWS::IAM::Policy").values()) {
      boolean attached = false;
      for (JsonNode role : policy.path("Properties").path("Roles")) {
        attached |= roleId.equals(role.path("Ref").asText());
      }
      if (attached) {
        policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
      }
    }
    return statements;
  }

  /** A string-or-list field (Action, Resource) as a list. */
  static List<JsonNode> list(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(out::add);
    } else if (!node.isMissingNode()) {
      out.add(node);
    }
    return out;
  }

  static List<String> actions(JsonNode statement) {
    return list(statement.path("Action")).stream().map(JsonNode::asText).toList();
  }

  /**
   * Logical ids a resource expression refers to (Ref and Fn::GetAtt, however nested), without
   * pseudo parameters such as {@code AWS::Region}.
   */
  static List<String> referencedIds(JsonNode expression) {
    List<String> ids = new ArrayList<>();
    collect(expression, ids);
    return ids;
  }

  private static void collect(JsonNode node, List<String> ids) {
    if (node.isObject()) {
      if (node.has("Ref") && !node.get("Ref").asText().startsWith("AWS::")) {
        ids.add(node.get("Ref").asText());
      }
      if (node.has("Fn::GetAtt")) {
        ids.add(node.get("Fn::GetAtt").get(0).asText());
      }
      node.elements().forEachRemaining(child -> collect(child, ids));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, ids));
    }
  }
}
