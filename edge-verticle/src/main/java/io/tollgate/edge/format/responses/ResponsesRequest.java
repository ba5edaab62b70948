package io.tollgate.edge.format.responses;

import io.tollgate.api.chat.ChatRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A parsed {@code POST /v1/responses}: the canonical request plus what only the Responses API
 * knows and the edge itself handles (storage, the chain of responses, the fields a response
 * object echoes back). Stays at the edge; only {@link #chat} crosses the event bus.
 *
 * @param instructions       the {@code instructions} text (a leading system message in {@link #chat}); not
 *                           part of a stored conversation, as OpenAI does not carry them over
 * @param conversation       the items of the whole conversation so far, without instructions: the previous
 *                           response's conversation and output, then this request's {@code input}; what is
 *                           stored so that a later {@code previous_response_id} can continue it
 * @param echo               request fields the response object repeats ({@code tools}, {@code tool_choice},
 *                           {@code text}, {@code reasoning}, {@code metadata} ...), as the client wrote them
 */
public record ResponsesRequest(ChatRequest chat, String instructions, boolean store, String previousResponseId,
                               JsonArray conversation, JsonObject echo) {
}
