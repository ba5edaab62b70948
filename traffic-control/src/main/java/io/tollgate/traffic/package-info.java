/**
 * Traffic control: rate limits, token quotas and cost budgets that are exact across the cluster,
 * and concurrency limits.
 *
 * <h2>Admission: reserve, then settle</h2>
 * At request start {@link io.tollgate.traffic.Admission#admit} checks every configured limit of the
 * key, its tenant and the gateway and, only if all pass, reserves the request against all of them:
 * one request for rpm, the estimated tokens (prompt estimate + max_tokens, or
 * {@link io.tollgate.traffic.TrafficOptions#DEFAULT_MAX_TOKENS_ESTIMATE}) for tpm and token quotas,
 * the estimated cost for budgets. At stream end {@link io.tollgate.traffic.Admission#settle}
 * replaces the reserved amounts by the real ones (a cancelled stream settles the tokens produced);
 * {@link io.tollgate.traffic.Admission#release} gives everything back for a request that never ran.
 * Against Redis each is one {@code EVALSHA} (NOSCRIPT falls back to {@code EVAL}): one round trip,
 * atomic, so no number of edge nodes can over-admit. Nothing blocks; the client is asynchronous.
 *
 * <h2>Windows: a sliding log, exact</h2>
 * rpm and tpm are sliding 60-second windows kept as a sliding log (a sorted set of entries scored
 * by admission time), not a fixed window: a request counts from its admission time t for exactly
 * 60,000 ms (while t &gt; now - 60000), so there is no 2x burst at a minute boundary, and the
 * precision is one millisecond of the admitting node's clock (clock skew between nodes shifts the
 * window edges by the skew; keep nodes NTP-synced). Memory is one entry per request in the last
 * minute, i.e. bounded by the limit itself. tpm entries carry their token amount
 * ({@code requestId:tokens}) and the window keeps a running sum, so a check is O(log n) plus the
 * entries that expire; settlement swaps the entry for one with the real amount at the same time.
 * A settlement that arrives after its entry left the window leaves tpm alone (the tokens count at
 * admission time). Refusals carry {@code Retry-After}: the time until enough of the oldest entries
 * leave the window.
 *
 * <h2>Quotas and budgets: period counters, exact decimals</h2>
 * Token quotas and cost budgets are integer counters per UTC day ({@code yyyyMMdd}), UTC month
 * ({@code yyyyMM}) and in total; the period is that of the admission time, and settlement adjusts
 * the same period even after midnight. Money is {@link java.math.BigDecimal} in Java and integer
 * nano-dollars in Redis (usage rounded up, budgets down; exact for prices with up to three decimals
 * per million tokens; Lua numbers are doubles, so a counter is exact up to 2^53 nano-dollars, about
 * $9 million). Token counts, limits and quotas are 64-bit in Java; Redis keeps counters as 64-bit
 * integers (amounts reach it as decimal strings) and the scripts compare in doubles, exact to 2^53. A request is admitted while used + estimate &lt;= limit. Only configured limits are
 * counted: a limit set later starts from zero.
 *
 * <h2>Redis keys</h2> (prefix {@code tg:} by default; scope {@code k} key, {@code t} tenant,
 * {@code g} gateway with id {@code all})
 * <ul>
 *   <li>{@code tg:rpm:<scope>:<id>} ZSET member request id, score admission ms; TTL 60 s</li>
 *   <li>{@code tg:tpm:<scope>:<id>} ZSET member {@code requestId:tokens}; {@code ...:sum} its sum;
 *       TTL 60 s</li>
 *   <li>{@code tg:tok:<scope>:<id>:d:<yyyyMMdd>}, {@code ...:m:<yyyyMM>}, {@code ...:total} tokens;
 *       {@code tg:usd:...} the same in nano-dollars. Day and month counters expire a day after
 *       their period ends; totals are lifetime counters and never expire</li>
 *   <li>{@code tg:res:<requestId>} the open reservation: what was reserved on which key (JSON),
 *       TTL twice the reservation lifetime; settle and release turn it into a tombstone
 *       ({@code d}, TTL one lifetime). A tombstone makes a repeated settle a no-op and an admit
 *       that arrives after its own release or settle (its caller timed out) reserve nothing. A
 *       settle that finds no marker at all (its admit is still on its way, or the sweeper gave the
 *       reservation back) adds the real usage instead, so the counters end exact in every order</li>
 *   <li>{@code tg:open} the open reservations, a ZSET scored by deadline (admission time plus
 *       {@link io.tollgate.traffic.TrafficOptions#DEFAULT_RESERVATION_TTL_MS the lifetime});
 *       {@link io.tollgate.traffic.ReservationSweeper} on every node gives back, one script per
 *       batch, those nobody settled in time, exactly what was reserved on every counter</li>
 *   <li>{@code tg:late:<requestId>} marks the usage of a locally admitted request as replayed</li>
 * </ul>
 *
 * <h2>When Redis fails</h2>
 * {@link io.tollgate.traffic.ResilientAdmission} gives every Redis call a short timeout
 * ({@link io.tollgate.traffic.TrafficOptions#DEFAULT_REDIS_TIMEOUT_MS}). On the first failure the
 * node turns degraded ({@code degraded()}, for a {@code limits} health check): admissions use
 * per-node in-memory limiters with the same semantics, approximate by nature (with N nodes up to N
 * times a limit passes), or with {@code fail_closed} are refused with 503 SERVICE_UNAVAILABLE.
 * Settlements that cannot reach Redis are queued (bounded; overflow drops the oldest with a warning
 * and a count), and so is the real usage of locally admitted requests. The node pings Redis in the
 * background, replays the queue in order once it answers, and switches back by itself.
 *
 * <h2>Concurrency</h2>
 * {@link io.tollgate.traffic.ConcurrencyLimiter}: bounded concurrency plus a bounded FIFO queue
 * with a maximum wait per scope, fair across tenants (per-tenant queues served round-robin),
 * confined to one context.
 */
package io.tollgate.traffic;
