package io.tollgate.router.eval;

/**
 * What {@link PolicyEvaluator} found.
 *
 * @param decisions       logged first choices used (attempt 0, with a propensity, reward known)
 * @param skipped         outcomes not used as decisions: failover attempts, cancelled calls, failures
 *                        caused by the request, records without a propensity
 * @param loggedValue     the mean reward the logged policy earned on those decisions
 * @param ips             inverse propensity scoring: mean of {@code pi(a)/p * r}
 * @param snips           self-normalized IPS ({@code sum(w r) / sum(w)}), lower variance, slightly biased;
 *                        its interval is the IPS interval rescaled
 * @param doublyRobust    mean of {@code sum_a pi(a) q(a) + pi(a_t)/p * (r - q(a_t))}, q the per-deployment
 *                        mean reward
 * @param maxWeight       the largest importance weight seen; large ones make IPS intervals wide
 */
public record EvalReport(String model, String policy, int decisions, int skipped, double loggedValue, Estimate ips,
                         double snips, Estimate doublyRobust, double maxWeight) {
}
