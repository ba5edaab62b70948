package io.tollgate.launcher;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.config.CredentialRef;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.ops.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML config file. {@code ${VAR}} and {@code ${VAR:-default}} in string values are
 * replaced from the environment, except in {@code api_key}: credential references stay references
 * and are resolved by the connector node that uses them, so secrets do not travel the event bus;
 * their form is checked here ({@link CredentialRef}), so a malformed one stops the start.
 * Unknown fields are errors (a typo must not silently drop a setting). Deployment base URLs must pass
 * the config's {@code egress} policy ({@link io.tollgate.api.config.EgressPolicy}).
 */
public final class ConfigLoader {

  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ConfigLoader() {
  }

  public static GatewayConfig load(Path file, Function<String, String> env) {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, env, file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
  }

  static GatewayConfig load(InputStream in, Function<String, String> env, String source) {
    try {
      JsonNode tree = YAML.readTree(in);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new IllegalArgumentException(source + ": the config file is empty");
      }
      interpolate(tree, env, source);
      GatewayConfig config = YAML.treeToValue(tree, GatewayConfig.class);
      for (int i = 0; i < config.keys().size(); i++) {
        CacheConfig cache = config.keys().get(i).cache();
        String[] cacheError = cache == null ? null : cache.error("cache");
        if (cacheError != null) {
          throw new IllegalArgumentException(source + ": keys[" + i + "]." + cacheError[0] + ": " + cacheError[1]);
        }
      }
      for (int i = 0; i < config.models().size(); i++) {
        ModelConfig m = config.models().get(i);
        String error = ModelConfig.policyError(m.policy());
        if (error != null) {
          throw new IllegalArgumentException(source + ": models[" + i + "].policy: " + error);
        }
        String[] rulesError = m.rulesError() != null ? m.rulesError() : m.canaryError() != null ? m.canaryError()
            : m.cacheError();
        if (rulesError != null) {
          throw new IllegalArgumentException(source + ": models[" + i + "]." + rulesError[0] + ": " + rulesError[1]);
        }
        for (int j = 0; j < m.deployments().size(); j++) {
          String refused = config.egress().check(m.deployments().get(j).baseUrl());
          if (refused != null) {
            throw new IllegalArgumentException(source + ": models[" + i + "].deployments[" + j + "].base_url "
                + refused);
          }
          // An OAuth2 token URL receives the credential: the same policy applies to it.
          String tokenRefused = config.egress().check(m.deployments().get(j).tokenUrl());
          if (tokenRefused != null) {
            throw new IllegalArgumentException(source + ": models[" + i + "].deployments[" + j + "].token_url "
                + tokenRefused);
          }
          List<String> caps = m.deployments().get(j).capabilities();
          int bad = Capability.firstUnknown(caps);
          if (bad >= 0 || caps != null && caps.isEmpty()) {
            throw new IllegalArgumentException(source + ": models[" + i + "].deployments[" + j + "].capabilities"
                + (bad >= 0 ? "[" + bad + "]: '" + caps.get(bad) + "' is not a capability" : ": must not be empty")
                + " (known: " + Capability.words() + ")");
          }
          try {
            CredentialRef.parse(m.deployments().get(j).apiKey());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": models[" + i + "].deployments[" + j + "].api_key: "
                + e.getMessage());
          }
        }
      }
      return config;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(source + ": unknown field '" + e.getPropertyName() + "' at "
          + e.getPathReference().replace("io.tollgate.api.config.", ""));
    } catch (IOException e) {
      if (e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof NullPointerException) {
        throw new IllegalArgumentException(source + ": " + firstLine(e.getCause().getMessage()));
      }
      String path = e instanceof JsonMappingException m ? path(m) : "";
      if (!path.isEmpty()) {
        // A value of the wrong type or out of range: name the field, e.g.
        // "keys[0].token_quota.daily: must be a whole number between 0 and 9223372036854775807".
        throw new IllegalArgumentException(source + ": " + path + ": "
            + firstLine(((JsonMappingException) e).getOriginalMessage()));
      }
      throw new IllegalArgumentException(source + ": " + firstLine(e.getMessage()));
    }
  }

  private static void interpolate(JsonNode node, Function<String, String> env, String source) {
    if (node instanceof ObjectNode obj) {
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual() && !"api_key".equals(e.getKey())) {
          obj.set(e.getKey(), new TextNode(substitute(e.getValue().asText(), env, source)));
        } else {
          interpolate(e.getValue(), env, source);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        if (arr.get(i).isTextual()) {
          arr.set(i, new TextNode(substitute(arr.get(i).asText(), env, source)));
        } else {
          interpolate(arr.get(i), env, source);
        }
      }
    }
  }

  static String substitute(String value, Function<String, String> env, String source) {
    Matcher m = VAR.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        v = m.group(3);
      }
      if (v == null) {
        throw new IllegalArgumentException(source + ": environment variable " + m.group(1) + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The field a mapping error is about, as written in the file: {@code keys[0].token_quota.daily}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid config";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
