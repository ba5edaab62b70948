package io.tollgate.admin.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.http.AdminJson;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.vertx.core.buffer.Buffer;

/**
 * The body of {@code POST /admin/v1/models/{name}/invoke}: an OpenAI chat request whose
 * {@code model} may be left out (the path names it, and wins). It is read by the edge's own OpenAI
 * chat parser, so the slot test sends upstream exactly what a client's request would; the answer
 * is always one {@code chat.completion}, so {@code stream} is ignored.
 */
public final class InvokeBody {

  private InvokeBody() {
  }

  public static ChatRequest parse(ObjectNode body, String model) {
    body.put("model", model);
    try {
      ChatRequest chat = OpenAiChatFormat.INSTANCE.parse(Buffer.buffer(AdminJson.JSON.writeValueAsBytes(body)));
      return chat.toBuilder().stream(false).includeUsage(false).build();
    } catch (GatewayException e) {
      throw AdminErrors.badRequest(e.getMessage(), e.param());
    } catch (JsonProcessingException e) {
      throw AdminErrors.badRequest("the body could not be read as JSON", null);
    }
  }
}
