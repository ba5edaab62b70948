package io.tollgate.api.bus;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.ops.Operation;
import io.tollgate.api.ops.OperationRequest;

/** The one rule {@link RouteRequest} and {@link UpstreamCall} share about what they carry. */
final class Operations {

  private Operations() {
  }

  /** The operation, derived when null; refuses a message whose fields disagree with it. */
  static Operation check(Operation operation, ChatRequest chat, OperationRequest payload) {
    Operation op = operation != null ? operation : payload != null ? payload.operation() : Operation.CHAT;
    if (op == Operation.CHAT) {
      if (payload != null) {
        throw new IllegalArgumentException("a chat call carries no operation payload");
      }
    } else if (payload == null || payload.operation() != op) {
      throw new IllegalArgumentException("operation " + op + " needs its own payload, got "
          + (payload == null ? "none" : payload.operation()));
    }
    return op;
  }

  static long promptEstimate(ChatRequest chat, OperationRequest payload) {
    if (payload != null) {
      return payload.estimatedPromptTokens();
    }
    return chat == null ? 0 : chat.estimatedPromptTokens();
  }
}
