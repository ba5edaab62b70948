// Requests, errors, spend today, p95 latency and open breakers, from the public admin API only:
// the usage rollups (requests, spend), the routers' statistics (failures, breakers) and, where the
// gateway has it, the audit log (latency percentiles).

import { get, query, modelPath, ApiError } from '../api.js';
import { h, clear, usd, count, ms, errorBox, todayUtc, daysAgoUtc } from '../ui.js';
import { stackedBars } from '../charts.js';

function stat(label, value, note, id) {
  return h('div.stat', { 'data-stat': id }, h('div.label', {}, label), h('div.value', {}, value),
    note ? h('div.note', {}, note) : null);
}

/** p95 of request latencies in today's audit records; null when the audit log is not there. */
async function p95Today() {
  try {
    const page = await get(`/admin/v1/audit${query({ kind: 'request', from: todayUtc(), limit: 500 })}`);
    const latencies = (page.records || []).map((r) => r.latency_ms ?? (r.ended_at && r.started_at
      ? Date.parse(r.ended_at) - Date.parse(r.started_at) : null)).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (!latencies.length) return { value: '—', note: 'no requests in today\'s audit log' };
    const at = latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)];
    return { value: ms(at), note: `of the last ${latencies.length} requests today (audit log)` };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { value: '—', note: 'needs the audit log (not available)' };
    return { value: '—', note: e.message };
  }
}

async function routerTotals(models) {
  const stats = await Promise.all(models.map((m) => get(`/admin/v1/models/${modelPath(m.name)}/routing`)
    .catch(() => null)));
  let failures = 0, requests = 0, open = 0;
  const openIds = [];
  for (const s of stats.filter(Boolean)) {
    for (const d of s.deployments || []) {
      failures += d.failures || 0;
      requests += d.requests || 0;
      if (d.breaker && d.breaker !== 'closed') {
        open++;
        openIds.push(`${d.id} (${d.breaker.replace('_', '-')})`);
      }
    }
  }
  return { failures, requests, open, openIds };
}

export async function render(main) {
  const stats = h('div.grid', { 'aria-live': 'polite' });
  const chart = h('div');
  clear(main, h('h1', {}, 'Overview'), stats, h('h2', {}, 'Spend by day (last 14 days)'), chart);
  try {
    const [today, models, latency, byDay] = await Promise.all([
      get(`/admin/v1/usage${query({ from: todayUtc() })}`),
      get('/admin/v1/models'),
      p95Today(),
      get(`/admin/v1/usage${query({ from: daysAgoUtc(13), group_by: 'day' })}`),
    ]);
    const routers = await routerTotals(models.data || []);
    clear(stats,
      stat('Requests today', count(today.totals.requests), 'billed, from the usage ledger', 'requests'),
      stat('Errors', count(routers.failures), `failed upstream attempts of ${count(routers.requests)} since the routers started`,
        'errors'),
      stat('Spend today', usd(today.totals.cost_usd), 'UTC day', 'spend'),
      stat('p95 latency', latency.value, latency.note, 'p95'),
      stat('Breakers open', count(routers.open), routers.openIds.join(', ') || 'every deployment closed', 'breakers'));
    const categories = [];
    for (let i = 13; i >= 0; i--) categories.push(daysAgoUtc(i));
    const values = {};
    for (const r of byDay.rows) values[String(r.day).slice(0, 10)] = Number(r.cost_usd);
    clear(chart, stackedBars({ title: 'Spend per UTC day, USD', categories, series: [{ name: 'spend', values }],
      format: usd }));
  } catch (e) {
    clear(stats, errorBox(e));
  }
}
