package io.tollgate.traffic;

/** Whose limit: the API key's, its tenant's, or the whole gateway's (rpm/tpm only). */
public enum LimitScope {
  KEY("key"),
  TENANT("tenant"),
  GLOBAL("gateway");

  private final String label;
  /** The scope's letter in Redis keys ({@code k}, {@code t}, {@code g}): stable, keys outlive deployments. */
  final String code;

  LimitScope(String label) {
    this.label = label;
    this.code = name().substring(0, 1).toLowerCase(java.util.Locale.ROOT);
  }

  public String label() {
    return label;
  }
}
