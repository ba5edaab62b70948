package io.tollgate.connector.oauth;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A Google service-account key file ({@code "type": "service_account"}) and the OAuth2 JWT bearer
 * grant made with it (RFC 7523): a JWT claiming {@code iss} = the account's email, the requested
 * {@code scope}, {@code aud} = the token URI, issued now and valid for an hour, signed RS256 with
 * the key's RSA private key, then posted as {@code assertion}. Done by hand with java.security:
 * the grant is a few lines, and Google's auth library would bring its own blocking HTTP transport
 * (outside the connector's egress checks, timeouts and event loops) and a dozen dependencies.
 *
 * <p>Parsing the PEM and signing are CPU work (about a millisecond for RSA-2048): callers run
 * {@link #assertion} on a worker thread, never on an event loop.
 *
 * @param clientEmail  the account, the JWT's issuer
 * @param privateKeyId the key's id, the JWT header's {@code kid}
 * @param privateKey   the PKCS#8 private key
 * @param tokenUri     where the grant is posted ({@code https://oauth2.googleapis.com/token})
 * @param projectId    the account's project, the default Vertex project
 */
public record ServiceAccountKey(String clientEmail, String privateKeyId, PrivateKey privateKey, String tokenUri,
                                String projectId) {

  public static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  /** Lifetime asked for in the assertion; Google caps it at an hour. */
  public static final long ASSERTION_LIFETIME_SECONDS = 3600;

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /**
   * Parses a key file's JSON. Failures are UPSTREAM_AUTH naming what is wrong, never quoting the
   * file (it is a secret).
   */
  public static ServiceAccountKey parse(String json, String deploymentId) {
    JsonObject key;
    try {
      key = new JsonObject(json);
    } catch (RuntimeException e) {
      throw bad(deploymentId, "is not JSON (expected a service-account key file)");
    }
    if (key.containsKey("type") && !"service_account".equals(key.getValue("type"))) {
      throw bad(deploymentId, "is not a service-account key (type is not service_account)");
    }
    String email = text(key, "client_email");
    String pem = text(key, "private_key");
    if (email == null || pem == null) {
      throw bad(deploymentId, "lacks client_email or private_key");
    }
    PrivateKey privateKey;
    try {
      String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
          Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw bad(deploymentId, "has a private_key that is not a PKCS#8 RSA key");
    }
    String tokenUri = text(key, "token_uri");
    return new ServiceAccountKey(email, text(key, "private_key_id"), privateKey,
        tokenUri == null ? DEFAULT_TOKEN_URI : tokenUri, text(key, "project_id"));
  }

  /** The signed JWT for a grant to {@code audience} at {@code nowSeconds}. */
  public String assertion(String scope, String audience, long nowSeconds) {
    JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT");
    if (privateKeyId != null) {
      header.put("kid", privateKeyId);
    }
    JsonObject claims = new JsonObject().put("iss", clientEmail).put("scope", scope).put("aud", audience)
        .put("iat", nowSeconds).put("exp", nowSeconds + ASSERTION_LIFETIME_SECONDS);
    String signingInput = b64(header.encode()) + "." + b64(claims.encode());
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(privateKey);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new GatewayException(ErrorCode.UPSTREAM_AUTH, "cannot sign with the service-account key of "
          + clientEmail + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Never the private key. */
  @Override
  public String toString() {
    return "ServiceAccountKey[clientEmail=" + clientEmail + ", privateKeyId=" + privateKeyId + ", tokenUri="
        + tokenUri + ", projectId=" + projectId + "]";
  }

  private static String b64(String s) {
    return B64URL.encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(JsonObject json, String field) {
    return json.getValue(field) instanceof String s && !s.isBlank() ? s.trim() : null;
  }

  private static GatewayException bad(String deploymentId, String what) {
    return new GatewayException(ErrorCode.UPSTREAM_AUTH, "the credential of deployment " + deploymentId + " " + what);
  }
}
