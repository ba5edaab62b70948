package io.tollgate.router.eval;

import io.tollgate.api.bus.Outcome;

/**
 * One recorded outcome and when it happened.
 *
 * @param atMillis epoch milliseconds, or -1 if the record did not say
 */
public record LoggedOutcome(Outcome outcome, long atMillis) {
}
