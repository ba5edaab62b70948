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
 * <h2>Windows: counters in one-second buckets, never under the limit's minute</h2>
 * rpm and tpm are rolling 60-second windows kept as windowed counters: the window is cut into
 * {@code Plan.WINDOW_BUCKETS} (60) buckets of {@code Plan.BUCKET_MS} (1 s)
 * (bucket = floor(time / 1000)), a request's amount (1 for rpm, its token reservation for tpm) counts
 * in the bucket of its admission time, and a bucket counts while it is not entirely older than the
 * window. So a request counts for between 60 and 61 s, never less: the limit is never exceeded in
 * any rolling 60 s window, on any number of nodes (one atomic script), and there is no 2x burst at a
 * minute boundary; the cost of that is a slot freeing up to one bucket later than a per-request log
 * would free it. Time is the admitting node's clock (skew between nodes shifts the window edges by
 * the skew; keep nodes NTP-synced). In Redis a window is one HASH (see window.lua): a field per
 * bucket, the running total, and the oldest bucket that may hold something; buckets that left are
 * dropped lazily when the oldest one has left (one read of the bounded hash, which also rebuilds the
 * total), so work and memory are O(1) per admission whatever the traffic. Refusals carry
 * {@code Retry-After}: the time until enough of the oldest buckets leave to make room; the reset
 * headers say when the oldest bucket leaves. Settlement, release and the sweeper change the bucket
 * of the admission time while it still counts, and nothing once it has left (it left with the amount
 * it had). The local fallback ({@link io.tollgate.traffic.LocalAdmission}) keeps a per-request
 * sliding log in memory: per node, approximate anyway, and bounded by the limits themselves.
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
 *   <li>{@code tg:rpm:w:<scope>:<id>}, {@code tg:tpm:w:<scope>:<id>} HASH: field {@code <bucket>}
 *       what was admitted in it, {@code t} the total, {@code o} the oldest bucket; at most 61 buckets;
 *       expires 62 s after its newest bucket was created. (The sliding logs of earlier versions, ZSETs
 *       under {@code tg:rpm:<scope>:<id>} and {@code tg:tpm:<scope>:<id>}, expire by their TTL.)</li>
 *   <li>{@code tg:tok:<scope>:<id>:d:<yyyyMMdd>}, {@code ...:m:<yyyyMM>}, {@code ...:total} tokens;
 *       {@code tg:usd:...} the same in nano-dollars. Day and month counters expire a day after
 *       their period ends; totals are lifetime counters and never expire</li>
 *   <li>{@code tg:res:<requestId>} the open reservation: the bucket, then what was reserved on
 *       which key ({@code <bucket> <type><amount> <key length> <key> ...}),
 *       TTL twice the reservation lifetime; settle and release turn it into a tombstone
 *       ({@code d}, TTL one lifetime). A tombstone makes a repeated settle a no-op and an admit
 *       that arrives after its own release or settle (its caller timed out) reserve nothing. A
 *       settle that finds no marker at all (its admit is still on its way, or the sweeper gave the
 *       reservation back) adds the real usage instead, so the counters end exact in every order</li>
 *   <li>{@code tg:open} the open reservations, a ZSET scored by deadline (admission time plus
 *       {@link io.tollgate.traffic.TrafficOptions#DEFAULT_RESERVATION_TTL_MS the lifetime});
 *       {@link io.tollgate.traffic.ReservationSweeper} on every node gives back, one script per
 *       batch, those nobody settled in time, exactly what was reserved on every counter (on rpm
 *       and tpm only if the reservation's bucket still counts)</li>
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
