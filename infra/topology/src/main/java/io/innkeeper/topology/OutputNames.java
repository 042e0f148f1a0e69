package io.innkeeper.topology;

import java.util.Locale;

/**
 * Names of the deployed stack's outputs. The CDK app writes them and the operations subcommands
 * ({@code rebuild}, {@code verify}) read them back, so both take them from here.
 */
public final class OutputNames {
  private OutputNames() {}

  /** The output holding the API's base URL (the stage URL, ending in {@code /}). */
  public static final String API_URL = "ApiUrl";

  /** The output holding the id of the Cognito user pool whose tokens the API accepts. */
  public static final String USER_POOL_ID = "UserPoolId";

  /** The output holding the id of the user pool's app client (the tokens' audience). */
  public static final String USER_POOL_CLIENT_ID = "UserPoolClientId";

  /**
   * The output holding the physical name of table {@code tableId}, e.g. {@code TableEventsName}.
   */
  public static String tableName(String tableId) {
    return "Table" + pascal(tableId) + "Name";
  }

  /** The output holding the URL of queue {@code queueId}, e.g. {@code QueueCommandQueueUrl}. */
  public static String queueUrl(String queueId) {
    return "Queue" + pascal(queueId) + "Url";
  }

  /** The output holding the ARN of topic {@code topicId}, e.g. {@code TopicEventBusArn}. */
  public static String topicArn(String topicId) {
    return "Topic" + pascal(topicId) + "Arn";
  }

  /**
   * Pascal case of a kebab- or snake-case id. CloudFormation logical ids and output names allow
   * only letters and digits, so everything else separates words.
   */
  public static String pascal(String id) {
    var out = new StringBuilder();
    for (String word : id.split("[^A-Za-z0-9]+")) {
      if (!word.isEmpty()) {
        out.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("id has no letters or digits: '" + id + "'");
    }
    return out.toString();
  }
}
