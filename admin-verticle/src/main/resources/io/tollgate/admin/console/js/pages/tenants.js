// Tenants: create, enable/disable, limits and budgets, spend against budget; a tenant's keys below.

import { admin, get } from '../api.js';
import { h, clear, field, input, table, button, badge, busy, errorBox, notice } from '../ui.js';
import { limitsEditor, limitsSummary, spendCell } from './limits.js';
import { renderKeys } from './keys.js';

export async function render(main, params) {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div');
  const keys = h('section', { 'aria-labelledby': 'keys-title' });
  const name = input({ name: 'tenant-name', required: true, autocomplete: 'off' });
  const limits = limitsEditor({}, 'new-tenant');
  const create = h('button', { type: 'submit' }, 'Create tenant');
  const form = h('form.card', { 'aria-labelledby': 'new-tenant-title', on: { submit: onCreate } },
    h('h2#new-tenant-title', {}, 'New tenant'), h('div.fields', {}, field('Tenant name', name)), limits,
    h('p', {}, create));
  clear(main, h('h1', {}, 'Tenants & keys'), status, h('section', { 'aria-labelledby': 'tenants-title' },
    h('h2#tenants-title', {}, 'Tenants'), list), form, keys);
  let selected = params[0] || null;

  async function refresh() {
    try {
      const tenants = (await get('/admin/v1/tenants')).data;
      const spends = await Promise.all(tenants.map((t) => get(`/admin/v1/tenants/${encodeURIComponent(t.id)}/spend`)
        .catch(() => null)));
      const rows = tenants.map((t, i) => ({ ...t, spend: spends[i] }));
      clear(list, table('Tenants', [
        { label: 'Name', value: (t) => h('strong', {}, t.name) },
        { label: 'Id', value: (t) => h('code', {}, t.id) },
        { label: 'State', value: (t) => (t.enabled ? badge('enabled', 'ok') : badge('disabled', 'bad')) },
        { label: 'Limits', value: (t) => limitsSummary(t.limits) },
        { label: 'Spend today', value: (t) => spendCell(t.spend, 'daily') },
        { label: 'Spend this month', value: (t) => spendCell(t.spend, 'monthly') },
        { label: 'Actions', value: (t) => h('div.actions', {},
          button('Keys', () => selectTenant(t), 'secondary', { 'aria-label': `Keys of ${t.name}` }),
          button('Limits', () => editLimits(t), 'secondary', { 'aria-label': `Limits of ${t.name}` }),
          button(t.enabled ? 'Disable' : 'Enable', (ev) => busy(ev.target, status, async () => {
            await admin('PATCH', `/admin/v1/tenants/${encodeURIComponent(t.id)}`, { enabled: !t.enabled });
            await refresh();
          }), t.enabled ? 'danger' : 'secondary', { 'aria-label': `${t.enabled ? 'Disable' : 'Enable'} ${t.name}` })) },
      ], rows, { empty: 'No tenants yet: create one below.' }));
      const current = rows.find((t) => t.id === selected);
      if (current) await renderKeys(keys, current);
    } catch (e) {
      clear(list, errorBox(e));
    }
  }

  function selectTenant(t) {
    selected = t.id;
    history.replaceState(null, '', `#/tenants/${encodeURIComponent(t.id)}`);
    renderKeys(keys, t).then(() => keys.querySelector('h2')?.focus());
  }

  function editLimits(t) {
    const editor = limitsEditor(t.limits || {}, `tenant-${t.id}`);
    const save = h('button', { type: 'submit' }, 'Save limits');
    const box = h('form.card', { 'aria-labelledby': 'edit-limits-title', on: { submit: async (ev) => {
      ev.preventDefault();
      await busy(save, status, async () => {
        await admin('PATCH', `/admin/v1/tenants/${encodeURIComponent(t.id)}`, { limits: { ...(t.limits || {}), ...editor.value() } });
        clear(status, notice(`Limits of ${t.name} saved.`));
        box.remove();
        await refresh();
      });
    } } }, h('h2#edit-limits-title', { tabindex: '-1' }, `Limits of ${t.name}`), editor,
    h('div.actions', {}, save, button('Cancel', () => box.remove(), 'secondary')));
    list.after(box);
    box.querySelector('h2').focus();
  }

  async function onCreate(ev) {
    ev.preventDefault();
    await busy(create, status, async () => {
      const t = await admin('POST', '/admin/v1/tenants', { name: name.value.trim(), limits: limits.value() });
      clear(status, notice(`Tenant ${t.name} created (${t.id}).`));
      name.value = '';
      selected = t.id;
      await refresh();
    });
  }

  await refresh();
}
