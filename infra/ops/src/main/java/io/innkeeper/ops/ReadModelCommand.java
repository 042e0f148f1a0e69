package io.innkeeper.ops;

import java.io.IOException;
import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What {@code verify} and {@code rebuild} share: where the tables are, a running local runtime
 * ({@code --endpoint}) or a deployed stack ({@code --outputs}), exactly one of them.
 */
abstract class ReadModelCommand extends Cli.Command {

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      converter = Cli.Url.class,
      description = "the local runtime's DynamoDB endpoint (printed at start-up)")
  URI endpoint;

  @Mixin StackOptions stack;

  /** Checks that exactly one place to work on was named; a usage error otherwise. */
  void validate() {
    if ((endpoint == null) == (stack.outputs() == null)) {
      throw usage(
          "Say where the tables are: --endpoint URL (a local runtime) or --outputs FILE (a"
              + " deployed stack), not both.");
    }
  }

  @Override
  protected final int run() throws Exception {
    validate();
    ReadModelTables tables;
    try {
      tables = tables();
    } catch (IOException | IllegalArgumentException e) {
      throw usage("cannot use " + stack.outputs() + ": " + e.getMessage());
    }
    try (DynamoDbClient ddb = client()) {
      return run(new ReadModelOps(ddb, tables));
    }
  }

  /** Runs the operation on the read models. */
  abstract int run(ReadModelOps ops) throws Exception;

  ReadModelTables tables() throws IOException {
    return endpoint != null
        ? ReadModelTables.local()
        : ReadModelTables.fromOutputs(stack.outputs(), stack.stack());
  }

  private DynamoDbClient client() {
    if (endpoint != null) {
      return LocalAws.dynamoDb(endpoint);
    }
    var b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (stack.region() != null) {
      b.region(Region.of(stack.region()));
    }
    return b.build();
  }
}
