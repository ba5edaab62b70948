package io.tollgate.api.bus;

/** Edge -> connector control address: stop this request's upstream call now. */
public record Cancel(String requestId, String reason) {
}
