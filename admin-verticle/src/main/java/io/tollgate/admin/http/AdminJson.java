package io.tollgate.admin.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tollgate.admin.AdminErrors;
import io.tollgate.api.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The admin API's mappers. Strict on input (unknown fields are a 400, so a typo in a limit is
 * not silently ignored), ISO-8601 instants, nulls left out of responses.
 */
public final class AdminJson {

  public static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

  public static final ObjectMapper YAML = configure(YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)).build();

  private AdminJson() {
  }

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    return builder
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        // Keep 0.60 as 0.60 through a tree, so what was stored compares equal to what is re-imported.
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .addModule(new JavaTimeModule());
  }

  /** Parses a request body; an empty body is malformed JSON. */
  public static JsonNode tree(Buffer body) throws IOException {
    if (body == null || body.length() == 0) {
      throw new com.fasterxml.jackson.core.JsonParseException(null, "request body is empty");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body.getBytes());
    } catch (NumberFormatException e) {
      throw numberOutOfRange(e);
    }
    requireStorable(tree, null);
    return tree;
  }

  /**
   * Jackson reports a number it cannot hold (an exponent past an int, with big decimals on) as a
   * bare NumberFormatException, not as a parse error: it is still malformed input.
   */
  public static GatewayException numberOutOfRange(NumberFormatException e) {
    return AdminErrors.invalidJson("malformed request body: a number is out of range (" + e.getMessage() + ")");
  }

  /**
   * Refuses text that PostgreSQL cannot store: U+0000 is legal JSON ({@code "\u0000"}) but not
   * allowed in a text or jsonb value, where it would fail the write with a 500.
   */
  public static void requireStorable(JsonNode node, String path) {
    if (node.isTextual()) {
      if (node.textValue().indexOf('\0') >= 0) {
        throw AdminErrors.badRequest((path == null ? "the body" : "'" + path + "'")
            + " must not contain the character U+0000 (NUL)", path);
      }
      return;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireStorable(node.get(i), (path == null ? "" : path) + "[" + i + "]");
      }
      return;
    }
    for (var it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      String name = field.getKey();
      if (name.indexOf('\0') >= 0) {
        throw AdminErrors.badRequest("field names must not contain the character U+0000 (NUL)", path);
      }
      requireStorable(field.getValue(), path == null ? name : path + "." + name);
    }
  }

  public static Buffer write(Object value) {
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
