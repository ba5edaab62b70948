package io.tollgate.api.ops;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a request asks the gateway to do. Chat travels as the canonical
 * {@link io.tollgate.api.chat.ChatRequest}; every other operation as an {@link OperationRequest}.
 *
 * <p>On the event bus an operation is its {@link #code()}: explicit and never reused, so nodes of
 * two versions in one cluster agree on it (a new operation takes the next free number).
 */
public enum Operation {
  CHAT(0, Capability.CHAT, false),
  EMBEDDINGS(1, Capability.EMBEDDINGS, true),
  RERANK(2, Capability.RERANK, true),
  COMPLETIONS(3, Capability.COMPLETIONS, false);

  private final int code;
  private final Capability capability;
  private final boolean unary;

  Operation(int code, Capability capability, boolean unary) {
    this.code = code;
    this.capability = capability;
    this.unary = unary;
  }

  /**
   * Whether the answer is one {@link OperationResult} on the END chunk rather than choice deltas.
   * A unary call that ends OK without a result is an upstream error.
   */
  public boolean unary() {
    return unary;
  }

  /** The stable wire code. */
  @JsonValue
  public int code() {
    return code;
  }

  /** The capability a deployment must declare to serve this operation at all. */
  public Capability capability() {
    return capability;
  }

  /** The operation of a wire code; an unknown code (a newer node's operation) is an error. */
  @JsonCreator
  public static Operation fromCode(int code) {
    for (Operation op : values()) {
      if (op.code == code) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown operation code " + code);
  }
}
