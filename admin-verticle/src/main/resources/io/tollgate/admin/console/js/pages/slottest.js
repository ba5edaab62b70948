// Slot test: POST /admin/v1/models/{name}/invoke runs one chat request through the model's real
// routing path; the page shows the routing decision, every attempt as a timeline, and the answer.

import { admin, get, modelPath, query } from '../api.js';
import { h, clear, field, select, badge, busy, ms, count } from '../ui.js';

function facts(pairs) {
  return h('dl.facts', {}, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
}

export function timeline(trace) {
  const longest = Math.max(1, ...trace.map((s) => s.latency_ms || 0));
  return h('ol.timeline', { 'aria-label': 'Failover timeline' }, trace.map((s, i) => {
    const bar = h('div.bar');
    bar.style.width = `${Math.max(1, ((s.latency_ms || 0) / longest) * 100)}%`;
    return h(`li.${s.status === 'ok' ? 'ok' : 'error'}`, { 'data-step': i + 1, 'data-status': s.status },
      h('span.step', { 'aria-hidden': 'true' }, i + 1),
      h('span', {}, h('code', {}, s.deployment_id), ' ', s.status === 'ok' ? badge('ok', 'ok') : badge('error', 'bad')),
      h('span.bar-wrap', { title: ms(s.latency_ms) }, bar),
      h('span.detail', {}, `Step ${i + 1}: ${s.provider || ''} · ${ms(s.latency_ms)}`,
        s.error_code ? ` · ${s.error_code}` : '', s.message ? ` · ${s.message}` : ''));
  }));
}

export async function render(main, params) {
  const [models, tenants] = await Promise.all([
    get('/admin/v1/models').then((m) => m.data.map((x) => x.name)),
    get('/admin/v1/tenants').then((t) => t.data).catch(() => []),
  ]);
  const model = select(models, { name: 'slot-model', value: params[0] || models[0] });
  const tenant = select([['', 'No tenant'], ...tenants.map((t) => [t.id, `${t.name} (${t.id})`])], { name: 'slot-tenant' });
  const prompt = h('textarea', { name: 'slot-prompt', rows: '3' }, 'Reply with one short sentence.');
  const run = h('button', { type: 'submit' }, 'Run slot test');
  const status = h('div', { 'aria-live': 'polite' });
  const result = h('section', { 'aria-live': 'polite', id: 'slot-result' });
  clear(main, h('h1', {}, 'Slot test'),
    h('p.muted', {}, 'One real request through the model\'s routing chain, with failover and retries as for any client.'),
    h('form.card', { 'aria-label': 'Slot test', on: { submit: (ev) => {
      ev.preventDefault();
      busy(run, status, invoke);
    } } }, h('div.fields', {}, field('Model', model), field('Route as tenant', tenant)),
    field('Message', prompt, { wide: true }), h('p', {}, run)), status, result);

  async function invoke() {
    clear(status);
    clear(result, h('p.muted', {}, 'Running…'));
    const r = await admin('POST', `/admin/v1/models/${modelPath(model.value)}/invoke${query({ tenant: tenant.value })}`,
      { messages: [{ role: 'user', content: prompt.value }] });
    const d = r.routing || {};
    const answer = r.response?.choices?.[0]?.message?.content;
    clear(result,
      h('div.card', {}, h('h2', {}, 'Routing decision'), facts([
        ['Outcome', r.response ? badge('answered', 'ok') : badge('every deployment failed', 'bad')],
        ['Policy', d.policy], ['Chosen deployment', d.deployment_id ? h('code', {}, d.deployment_id) : null],
        ['Provider', d.provider], ['Propensity', d.propensity?.toFixed?.(3)], ['Reason', d.reason],
        ['Routing version', d.routing_version ? h('code', {}, d.routing_version) : null],
        ['Latency', ms(r.latency_ms)],
        ['Tokens', r.usage ? `${count(r.usage.prompt_tokens)} prompt + ${count(r.usage.completion_tokens)} completion`
          + (r.usage.estimated ? ' (estimated)' : '') : null]])),
      h('div.card', {}, h('h2', {}, `Failover timeline (${(r.failover_trace || []).length} steps)`),
        timeline(r.failover_trace || [])),
      h('div.card', {}, h('h2', {}, 'Answer'), h('div.output', {}, answer ?? 'No answer: every deployment failed.')));
    result.querySelector('h2').setAttribute('tabindex', '-1');
    result.querySelector('h2').focus();
  }
}
