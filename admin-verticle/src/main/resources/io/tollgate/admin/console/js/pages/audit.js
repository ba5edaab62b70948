// The audit log: GET /admin/v1/audit?from,to,tenant_id,kind=request|admin,limit,cursor answering
// {records, next_cursor}. Gateways without it answer 404: the page says so instead of failing.

import { get, query, ApiError } from '../api.js';
import { h, clear, field, input, select, number, table, busy, errorBox, unavailable, daysAgoUtc } from '../ui.js';

const PREFERRED = ['at', 'time', 'started_at', 'kind', 'action', 'actor', 'tenant_id', 'key_id', 'model',
  'deployment_id', 'status', 'error_code', 'latency_ms', 'cost_usd', 'request_id', 'target', 'path'];

function columnsOf(records) {
  const keys = new Set();
  for (const r of records) Object.keys(r).forEach((k) => keys.add(k));
  const ordered = PREFERRED.filter((k) => keys.has(k));
  for (const k of keys) if (!ordered.includes(k) && ordered.length < 10) ordered.push(k);
  return ordered.map((k) => ({ label: k, value: (r) => {
    const v = r[k];
    if (v === null || v === undefined) return '';
    return typeof v === 'object' ? h('code', {}, JSON.stringify(v)) : String(v);
  } }));
}

export async function render(main) {
  const status = h('div', { 'aria-live': 'polite' });
  const from = input({ type: 'date', value: daysAgoUtc(6), name: 'audit-from' });
  const to = input({ type: 'date', value: daysAgoUtc(-1), name: 'audit-to' });
  const tenant = input({ name: 'audit-tenant', placeholder: 'any tenant' });
  const kind = select([['request', 'Requests'], ['admin', 'Admin changes']], { value: 'request', name: 'audit-kind' });
  const limit = number({ value: '50', min: '1', max: '500', step: '1', name: 'audit-limit' });
  const apply = h('button', { type: 'submit' }, 'Filter');
  const results = h('div');
  const pager = h('div.actions');
  clear(main, h('h1', {}, 'Audit log'),
    h('form.card.fields', { 'aria-label': 'Filter', on: { submit: (ev) => {
      ev.preventDefault();
      busy(apply, status, () => load([]));
    } } }, field('From (UTC)', from), field('To (UTC, exclusive)', to), field('Tenant id', tenant), field('Kind', kind),
    field('Per page', limit), h('div.actions', {}, apply)),
    status, results, pager);

  // cursors: the cursors of the pages before this one, so "Previous" can go back.
  async function load(cursors, cursor) {
    let page;
    try {
      page = await get(`/admin/v1/audit${query({ from: from.value, to: to.value, tenant_id: tenant.value.trim(),
        kind: kind.value, limit: limit.value, cursor })}`);
    } catch (e) {
      clear(pager);
      clear(results, e instanceof ApiError && e.status === 404 ? unavailable('The audit log') : errorBox(e));
      return;
    }
    const records = page.records || [];
    clear(results, h('p.muted', {}, `Page ${cursors.length + 1}: ${records.length} records`),
      table('Audit records', columnsOf(records), records, { empty: 'No records match.' }));
    clear(pager,
      cursors.length ? h('button.secondary', { type: 'button', on: { click: (ev) => busy(ev.target, status,
        () => load(cursors.slice(0, -1), cursors[cursors.length - 1] || undefined)) } }, 'Previous page') : null,
      page.next_cursor ? h('button.secondary', { type: 'button', on: { click: (ev) => busy(ev.target, status,
        () => load([...cursors, cursor || ''], page.next_cursor)) } }, 'Next page') : null);
  }

  await load([]);
}
