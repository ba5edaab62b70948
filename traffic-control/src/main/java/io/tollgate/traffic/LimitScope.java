package io.tollgate.traffic;

/** Whose limit: the API key's, its tenant's, or the whole gateway's (rpm/tpm only). */
public enum LimitScope {
  KEY("key"),
  TENANT("tenant"),
  GLOBAL("gateway");

  private final String label;

  LimitScope(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
