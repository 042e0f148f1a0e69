package io.innkeeper.local;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips every test class of the {@code localstack} failsafe execution, with the reason, when
 * LocalStack cannot run here (no Docker engine, or no auth token for an image that needs one).
 *
 * <p>Registered through {@code META-INF/services} and active only where JUnit's extension
 * auto-detection is switched on, which only that execution does. It decides before a class's
 * {@code @BeforeAll}, so no class half-starts (its {@code @AfterAll} would then meet fields that
 * were never set). Under any other backend it does nothing.
 */
public final class LocalStackCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (SharedRuntime.Backend.selected() != SharedRuntime.Backend.LOCALSTACK) {
      return ConditionEvaluationResult.enabled("not on the LocalStack backend");
    }
    return LocalStackBackend.skipReason()
        .map(ConditionEvaluationResult::disabled)
        .orElseGet(() -> ConditionEvaluationResult.enabled("LocalStack can run here"));
  }
}
