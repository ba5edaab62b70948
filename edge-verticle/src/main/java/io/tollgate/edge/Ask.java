package io.tollgate.edge;

import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.ops.OperationRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.InboundFormat;
import java.util.function.Function;

/**
 * One parsed request on its way through admission, routing and the exchange, whatever the
 * operation: a chat ({@code chat} set) or another operation ({@code payload} set), and how to
 * write its answer given the request id.
 */
record Ask(ChatRequest chat, OperationRequest payload, Function<String, AnswerWriter> answers) {

  static Ask chat(ChatRequest chat, InboundFormat format) {
    return new Ask(chat, null, id -> format.answer(id, chat));
  }

  static Ask of(OperationRequest payload, Function<String, AnswerWriter> answers) {
    return new Ask(null, payload, answers);
  }

  String model() {
    return chat != null ? chat.model() : payload.model();
  }

  boolean stream() {
    return chat != null ? chat.stream() : payload.stream();
  }

  RouteRequest route(String requestId, String streamAddress, ApiKey key, long budgetMs) {
    return chat != null
        ? new RouteRequest(requestId, chat, streamAddress, key.id(), key.tenantId(), budgetMs)
        : RouteRequest.of(requestId, payload, streamAddress, key.id(), key.tenantId(), budgetMs);
  }
}
