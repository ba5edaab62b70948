// What the routers learned: per-deployment requests, failures, latency, the bandit posterior and
// the breaker state of every model, refreshed every few seconds while the page is open.

import { get, modelPath } from '../api.js';
import { h, clear, table, badge, count, ms, usd, errorBox } from '../ui.js';

const REFRESH_MS = 3000;

const BREAKER = { closed: ['closed', 'ok'], open: ['open', 'bad'], half_open: ['half-open', 'warn'] };

function modelSection(r) {
  const rate = (d) => (d.requests ? `${((d.successes / d.requests) * 100).toFixed(1)}%` : '—');
  return h('section.card', { 'data-model': r.model, 'aria-labelledby': `routing-${r.model}` },
    h('h2', { id: `routing-${r.model}` }, r.model),
    h('p.muted', {}, `policy ${r.policy} · routing version `, h('code', {}, r.routing_version || '—'),
      r.canary_version ? [' · canary ', h('code', {}, r.canary_version)] : ''),
    table(`Deployments of ${r.model}`, [
      { label: 'Deployment', value: (d) => h('code', {}, d.id) },
      { label: 'Breaker', value: (d) => {
        const [text, kind] = BREAKER[d.breaker] || [d.breaker || '—', 'warn'];
        return h('span', { 'data-breaker': d.breaker || '' }, badge(text, kind));
      } },
      { label: 'Requests', num: true, value: (d) => count(Math.round(d.requests)) },
      { label: 'Failures', num: true, value: (d) => count(Math.round(d.failures)) },
      { label: 'Success', num: true, value: rate },
      { label: 'Latency (EWMA)', num: true, value: (d) => ms(d.ewma_latency_ms) },
      { label: 'TTFT (EWMA)', num: true, value: (d) => ms(d.stats?.ewma_ttft_ms) },
      { label: 'Posterior α / β', num: true, value: (d) => (d.stats
        ? `${d.stats.alpha.toFixed(1)} / ${d.stats.beta.toFixed(1)}` : '—') },
      { label: 'Failures in a row', num: true, value: (d) => count(d.stats?.consecutive_failures) },
      { label: 'Mean cost', num: true, value: (d) => (d.stats ? usd(d.stats.mean_cost_usd) : '—') },
    ], r.deployments || [], { empty: 'No deployments.' }));
}

export async function render(main) {
  const live = h('input', { type: 'checkbox', id: 'routing-live', checked: true });
  const stamp = h('span.muted', { 'aria-live': 'off' });
  const body = h('div');
  clear(main, h('h1', {}, 'Routing'),
    h('p.fields', {}, h('label', { for: 'routing-live' }, live, ` Refresh every ${REFRESH_MS / 1000} s`), stamp),
    body);
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const models = (await get('/admin/v1/models')).data;
      const stats = await Promise.all(models.map((m) => get(`/admin/v1/models/${modelPath(m.name)}/routing`)
        .catch((e) => ({ model: m.name, error: e }))));
      if (stopped) return;
      // Keep the focused control's place: replace sections only, never the checkbox.
      clear(body, stats.map((r) => (r.error ? h('section.card', {}, h('h2', {}, r.model), errorBox(r.error))
        : modelSection(r))));
      stamp.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      clear(body, errorBox(e));
    }
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    if (!stopped && live.checked) timer = setTimeout(refresh, REFRESH_MS);
  }

  live.addEventListener('change', schedule);
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
