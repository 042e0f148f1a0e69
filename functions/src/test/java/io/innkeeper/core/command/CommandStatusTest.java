package io.innkeeper.core.command;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.command.CommandStatus.State;
import org.junit.jupiter.api.Test;

class CommandStatusTest {
  @Test
  void pending_moves_to_any_final_state_and_settled_states_never_move() {
    for (State to : new State[] {State.SUCCEEDED, State.REJECTED, State.FAILED}) {
      assertTrue(CommandStatus.canMove(State.PENDING, to));
      assertFalse(CommandStatus.canMove(State.SUCCEEDED, to));
      assertFalse(CommandStatus.canMove(State.REJECTED, to));
    }
    assertFalse(CommandStatus.canMove(State.PENDING, State.PENDING));
  }

  @Test
  void a_failed_command_can_still_settle_when_redriven() {
    assertTrue(CommandStatus.canMove(State.FAILED, State.SUCCEEDED));
    assertTrue(CommandStatus.canMove(State.FAILED, State.REJECTED));
    assertFalse(CommandStatus.canMove(State.FAILED, State.FAILED));
  }
}
