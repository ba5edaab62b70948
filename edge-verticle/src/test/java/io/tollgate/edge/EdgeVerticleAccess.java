package io.tollgate.edge;

/** Test access to the edge verticle's package-private helpers from other test packages. */
public final class EdgeVerticleAccess {

  private EdgeVerticleAccess() {
  }

  public static String millis(long nanos) {
    return Overhead.millis(nanos);
  }
}
