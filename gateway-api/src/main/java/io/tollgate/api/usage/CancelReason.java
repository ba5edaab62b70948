package io.tollgate.api.usage;

/** Why a stream was stopped before it ended by itself. Wire names are the enum names; never renamed. */
public enum CancelReason {
  /** The client closed its connection (or stopped reading). */
  CLIENT_DISCONNECT,
  /** A gateway deadline passed (route budget, idle limit). */
  TIMEOUT,
  /** The edge node that held the client went away; the connector stopped the upstream. */
  EDGE_GONE
}
