// Usage and cost from GET /admin/v1/usage: stacked bars by tenant, key, model, deployment or
// provider over days or hours, the numbers as a table, and the same report as CSV.

import { admin, get, query } from '../api.js';
import { h, clear, field, input, select, table, button, busy, usd, count, daysAgoUtc } from '../ui.js';
import { stackedBars } from '../charts.js';

const GROUPS = [['tenant', 'Tenant', 'tenant_id'], ['key', 'Key', 'key_id'], ['model', 'Model', 'model'],
  ['deployment', 'Deployment', 'deployment_id'], ['provider', 'Provider', 'provider']];
const METRICS = [['cost_usd', 'Spend (USD)'], ['requests', 'Requests'], ['prompt_tokens', 'Prompt tokens'],
  ['completion_tokens', 'Completion tokens']];

function buckets(from, to, hourly) {
  const out = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  const step = hourly ? 3600000 : 86400000;
  for (let t = Date.parse(`${from}T00:00:00Z`); t < end && out.length < 24 * 62; t += step) {
    out.push(new Date(t).toISOString().slice(0, hourly ? 13 : 10));
  }
  return out;
}

export async function render(main) {
  const status = h('div', { 'aria-live': 'polite' });
  const from = input({ type: 'date', value: daysAgoUtc(13), name: 'usage-from' });
  const to = input({ type: 'date', value: daysAgoUtc(-1), name: 'usage-to' });
  const group = select(GROUPS.map(([v, l]) => [v, l]), { value: 'tenant', name: 'usage-group' });
  const grain = select([['day', 'Day'], ['hour', 'Hour']], { value: 'day', name: 'usage-grain' });
  const metric = select(METRICS, { value: 'cost_usd', name: 'usage-metric' });
  const tenant = select([['', 'All tenants']], { name: 'usage-tenant' });
  const model = input({ name: 'usage-model', placeholder: 'all models' });
  const show = h('button', { type: 'submit' }, 'Show');
  const csv = button('Download CSV', (ev) => busy(ev.target, status, download), 'secondary');
  const chart = h('div');
  const rowsBox = h('div');
  clear(main, h('h1', {}, 'Usage & cost'),
    h('form.card.fields', { 'aria-label': 'Report', on: { submit: (ev) => {
      ev.preventDefault();
      busy(show, status, load);
    } } }, field('From (UTC)', from), field('To (UTC, exclusive)', to), field('Group by', group), field('Per', grain),
    field('Metric', metric), field('Tenant', tenant), field('Model', model), h('div.actions', {}, show, csv)),
    status, h('section', { 'aria-labelledby': 'usage-chart-title' }, h('h2#usage-chart-title', {}, 'Chart'), chart),
    h('section', { 'aria-labelledby': 'usage-rows-title' }, h('h2#usage-rows-title', {}, 'Totals'), rowsBox));

  const tenantNames = new Map();
  get('/admin/v1/tenants').then((t) => {
    for (const x of t.data) {
      tenantNames.set(x.id, x.name);
      tenant.append(h('option', { value: x.id }, `${x.name} (${x.id})`));
    }
  }).catch(() => {});

  const filters = () => ({ from: from.value, to: to.value, tenant_id: tenant.value, model: model.value.trim() });

  async function load() {
    const [, , column] = GROUPS.find(([v]) => v === group.value);
    const hourly = grain.value === 'hour';
    const [series, totals] = await Promise.all([
      get(`/admin/v1/usage${query({ ...filters(), group_by: `${group.value},${grain.value}` })}`),
      get(`/admin/v1/usage${query({ ...filters(), group_by: group.value })}`),
    ]);
    const m = metric.value;
    const byName = new Map();
    for (const r of series.rows) {
      const name = r[column] ?? '—';
      const at = String(r[grain.value]).slice(0, hourly ? 13 : 10);
      if (!byName.has(name)) byName.set(name, {});
      byName.get(name)[at] = (byName.get(name)[at] || 0) + Number(r[m]);
    }
    const format = m === 'cost_usd' ? usd : count;
    const label = METRICS.find(([v]) => v === m)[1];
    clear(chart, stackedBars({ title: `${label} per ${grain.value} by ${group.value}`,
      categories: buckets(from.value, to.value, hourly),
      series: [...byName.entries()].map(([name, values]) => ({ name, values,
        label: column === 'tenant_id' && tenantNames.has(name) ? `${tenantNames.get(name)} (${name})` : name })),
      format }));
    clear(rowsBox, table('Usage totals', [
      { label: GROUPS.find(([v]) => v === group.value)[1], value: (r) => h('code', {}, r[column] ?? '—') },
      { label: 'Requests', num: true, value: (r) => count(r.requests) },
      { label: 'Prompt tokens', num: true, value: (r) => count(r.prompt_tokens) },
      { label: 'Completion tokens', num: true, value: (r) => count(r.completion_tokens) },
      { label: 'Cached tokens', num: true, value: (r) => count(r.cached_tokens) },
      { label: 'Spend', num: true, value: (r) => usd(r.cost_usd) },
    ], totals.rows.length ? [...totals.rows, { [column]: 'Total', ...totals.totals }] : [],
    { empty: 'No usage in this period.' }));
  }

  // The CSV needs the admin token, so it is fetched here and handed to the browser as a file.
  async function download() {
    const res = await admin('GET', `/admin/v1/usage${query({ ...filters(), group_by: `${group.value},${grain.value}`,
      format: 'csv' })}`, undefined, { raw: true });
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: `tollgate-usage-${from.value}-${to.value}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  await busy(show, status, load);
}
