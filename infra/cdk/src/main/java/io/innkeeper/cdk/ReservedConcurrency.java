package io.innkeeper.cdk;

import java.util.Map;

/**
 * Reserved concurrency: off unless the {@value InnkeeperApp#RESERVED_CONCURRENCY} context setting
 * turns it on, because AWS refuses a reservation that would leave the account fewer than 100
 * unreserved concurrent executions, and new accounts often have a quota of 10 in all: with these
 * figures on by default, {@code cdk deploy} would fail there.
 *
 * <p>On, it keeps the functions that end the waits from being starved by the waiters. A {@code
 * Prefer: wait} holds command-api for up to 10 s and a token wait holds query-api for up to 5 s; at
 * the account's concurrency limit those waiters could take every execution, and the command-handler
 * and projector, which end the waits, would be throttled. So:
 *
 * <ul>
 *   <li>command-handler reserves {@value #COMMAND_HANDLER}: its SQS event source runs at most that
 *       many invocations at once (the trigger's {@code maxConcurrency}), and reserving them means
 *       the queue never backs up for want of an execution;
 *   <li>projector reserves {@value #PROJECTOR}: the events stream has one invocation per shard
 *       (parallelization factor 1), and a table of this size has a handful of shards;
 *   <li>command-api is capped at {@value #COMMAND_API} (a reservation is also a ceiling): at most
 *       that many commands wait on {@code Prefer: wait} at once; more are throttled by Lambda
 *       rather than taking the account's executions.
 * </ul>
 *
 * Together they reserve {@value #TOTAL}, so the account needs a concurrency quota of at least
 * {@value #ACCOUNT_QUOTA_NEEDED} (100 unreserved, which AWS keeps for every other function). The
 * default quota of an established account is 1,000.
 */
public final class ReservedConcurrency {
  private ReservedConcurrency() {}

  public static final int COMMAND_HANDLER = 2;
  public static final int PROJECTOR = 5;
  public static final int COMMAND_API = 20;
  public static final int TOTAL = COMMAND_HANDLER + PROJECTOR + COMMAND_API;

  /** AWS keeps 100 executions unreserved: a reservation that leaves fewer is refused. */
  public static final int UNRESERVED_MINIMUM = 100;

  public static final int ACCOUNT_QUOTA_NEEDED = TOTAL + UNRESERVED_MINIMUM;

  /** The reservation of each function that gets one, by topology id. */
  public static Map<String, Integer> byFunction() {
    return Map.of(
        "command-handler", COMMAND_HANDLER, "projector", PROJECTOR, "command-api", COMMAND_API);
  }
}
