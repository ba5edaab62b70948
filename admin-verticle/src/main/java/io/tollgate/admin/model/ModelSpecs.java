package io.tollgate.admin.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.http.AdminJson;
import io.tollgate.api.config.CredentialRef;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.EgressPolicy;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.ops.Capability;
import java.util.ArrayList;
import java.util.List;

/**
 * Model bodies: checked field by field before they become {@link ModelConfig}s (so a 400 names
 * the field), and upstream credentials masked on the way out.
 */
public final class ModelSpecs {

  /** Shown instead of a literal upstream credential; sending it back keeps the stored value. */
  public static final String MASK = "********";

  private static final String[] PRICES = {"input_price_per_mtok", "output_price_per_mtok",
      "cached_input_price_per_mtok"};

  private ModelSpecs() {
  }

  /** A model body as a ModelConfig, or a 400 naming the field at fault. */
  public static ModelConfig parse(JsonNode node) throws JsonProcessingException {
    if (node == null || !node.isObject()) {
      throw AdminErrors.badRequest("a model must be a JSON object", null);
    }
    requiredText(node, "name", "name");
    JsonNode policy = node.get("policy");
    if (policy != null && !policy.isNull()) {
      String error = policy.isTextual() ? ModelConfig.policyError(policy.asText())
          : "unknown routing policy " + policy + " (known: " + String.join(", ", ModelConfig.KNOWN_POLICIES) + ")";
      if (error != null) {
        throw AdminErrors.badRequest("'policy': " + error, "policy");
      }
    }
    JsonNode deployments = node.get("deployments");
    boolean rules = policy != null && ModelConfig.POLICY_RULES.equals(policy.asText());
    JsonNode ruleList = node.get("rules");
    if (rules && (ruleList == null || !ruleList.isArray() || ruleList.isEmpty())) {
      throw AdminErrors.badRequest("policy rules needs a non-empty list 'rules'", "rules");
    }
    if (rules && (deployments == null || deployments.isNull())) {
      deployments = AdminJson.JSON.createArrayNode();
    } else if (deployments == null || !deployments.isArray() || deployments.isEmpty() && !rules) {
      throw AdminErrors.badRequest("'deployments' must list at least one deployment", "deployments");
    }
    for (int i = 0; i < deployments.size(); i++) {
      JsonNode d = deployments.get(i);
      String at = "deployments[" + i + "].";
      if (!d.isObject()) {
        throw AdminErrors.badRequest("'deployments[" + i + "]' must be an object", "deployments[" + i + "]");
      }
      requiredText(d, "id", at + "id");
      requiredText(d, "provider", at + "provider");
      for (String price : PRICES) {
        JsonNode p = d.get(price);
        if (p != null && p.isNumber() && p.decimalValue().signum() < 0) {
          throw AdminErrors.badRequest("'" + at + price + "' must be >= 0", at + price);
        }
      }
      JsonNode weight = d.get("weight");
      if (weight != null && weight.isNumber() && weight.asLong() < 0) {
        throw AdminErrors.badRequest("'" + at + "weight' must be >= 0", at + "weight");
      }
    }
    ModelConfig model = AdminJson.JSON.treeToValue(node, ModelConfig.class);
    checkCapabilities(model, "");
    String[] rulesError = model.rulesError() != null ? model.rulesError()
        : model.canaryError() != null ? model.canaryError() : model.cacheError();
    if (rulesError != null) {
      throw AdminErrors.badRequest(rulesError[1], rulesError[0]);
    }
    return model;
  }

  /**
   * A 400 naming the first deployment whose base_url or token_url the node's egress policy refuses; the policy
   * is the node's own (from its config file), never one sent to the admin API.
   */
  public static void checkEgress(ModelConfig model, EgressPolicy egress, String prefix) {
    for (int i = 0; i < model.deployments().size(); i++) {
      DeploymentConfig d = model.deployments().get(i);
      // base_url, and the OAuth2 token URL that receives the credential (Vertex, Entra ID).
      String[][] urls = {{"base_url", d.baseUrl()}, {"token_url", d.tokenUrl()}};
      for (String[] url : urls) {
        String refused = egress.check(url[1]);
        if (refused != null) {
          String field = prefix + "deployments[" + i + "]." + url[0];
          throw AdminErrors.badRequest("'" + field + "' " + refused, field);
        }
      }
    }
  }

  /**
   * A 400 naming the first deployment's {@code capabilities[j]} that is not a capability word
   * ({@link Capability}), or an empty list (a deployment that serves nothing is a mistake: weight 0
   * drains one).
   */
  public static void checkCapabilities(ModelConfig model, String prefix) {
    for (int i = 0; i < model.deployments().size(); i++) {
      String field = prefix + "deployments[" + i + "].capabilities";
      List<String> caps = model.deployments().get(i).capabilities();
      if (caps != null && caps.isEmpty()) {
        throw AdminErrors.badRequest("'" + field + "' must name at least one of: " + Capability.words(), field);
      }
      int bad = Capability.firstUnknown(caps);
      if (bad >= 0) {
        String item = field + "[" + bad + "]";
        throw AdminErrors.badRequest("'" + item + "': '" + caps.get(bad) + "' is not a capability (known: "
            + Capability.words() + ")", item);
      }
    }
  }

  private static void requiredText(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw AdminErrors.badRequest("'" + param + "' is required", param);
    }
  }

  /**
   * Whether an api_key is shown as it is: a {@code ${ENV}} or {@code file:} reference names where the
   * secret is on connector nodes. Literals and stored secrets ({@code secret:}) are shown as {@link #MASK}.
   */
  public static boolean isReference(String apiKey) {
    try {
      CredentialRef ref = CredentialRef.parse(apiKey);
      return ref == null || ref.kind() == CredentialRef.Kind.ENV || ref.kind() == CredentialRef.Kind.FILE;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The model with literal credentials replaced by {@link #MASK}, for API output and export. */
  public static ModelConfig masked(ModelConfig model) {
    List<DeploymentConfig> out = new ArrayList<>();
    for (DeploymentConfig d : model.deployments()) {
      out.add(isReference(d.apiKey()) ? d : withApiKey(d, MASK));
    }
    return model.withDeployments(out);
  }

  /**
   * Puts back the stored credential where a client sent {@link #MASK} (as a GET or an export shows
   * it), so an edited or re-imported model keeps its secret.
   */
  public static ModelConfig unmasked(ModelConfig incoming, ModelConfig existing, String param) {
    List<DeploymentConfig> out = new ArrayList<>();
    for (int i = 0; i < incoming.deployments().size(); i++) {
      DeploymentConfig d = incoming.deployments().get(i);
      if (!MASK.equals(d.apiKey())) {
        out.add(d);
        continue;
      }
      DeploymentConfig stored = existing == null ? null : existing.deployments().stream()
          .filter(e -> e.id().equals(d.id())).findFirst().orElse(null);
      if (stored == null || stored.apiKey() == null) {
        String at = param + "deployments[" + i + "].api_key";
        throw AdminErrors.badRequest("'" + at + "' is masked but no stored credential exists for "
            + "deployment '" + d.id() + "'", at);
      }
      out.add(withApiKey(d, stored.apiKey()));
    }
    return incoming.withDeployments(out);
  }

  public static DeploymentConfig withApiKey(DeploymentConfig d, String apiKey) {
    // The record's own wither keeps every field, including ones added after this method was written.
    return d.withApiKey(apiKey);
  }
}
