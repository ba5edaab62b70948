// The playground calls the public gateway API (its URL from GET /admin/v1/info, changeable here)
// with a gateway key the operator pastes; the key lives in this page's memory only.

import { get, gatewayUrl, session } from '../api.js';
import { h, clear, field, input } from '../ui.js';
import { chatPanel } from './chat.js';
import { embeddingsPanel, rerankPanel } from './vectors.js';

const TABS = [['chat', 'Chat', chatPanel], ['embeddings', 'Embeddings', embeddingsPanel], ['rerank', 'Rerank', rerankPanel]];

export async function render(main, params) {
  const url = input({ type: 'url', value: await gatewayUrl(), name: 'gateway-url', autocomplete: 'off' });
  url.addEventListener('change', () => session.setGatewayUrl(url.value.trim()));
  const key = input({ type: 'password', name: 'gateway-key', autocomplete: 'off', placeholder: 'tg-…' });
  const models = await get('/admin/v1/models').then((m) => m.data.map((x) => x.name)).catch(() => []);
  const ctx = { url: () => url.value.trim(), key: () => key.value.trim(), models };
  const tabList = h('div.tabs', { role: 'tablist', 'aria-label': 'Playground' });
  const panel = h('div', { role: 'tabpanel', id: 'playground-panel', tabindex: '0' });
  const tabs = TABS.map(([id, label, make], i) => {
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': 'playground-panel',
      'aria-selected': 'false', tabindex: '-1', on: {
        click: () => select(i),
        keydown: (ev) => {
          const d = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
          if (d) select((i + d + TABS.length) % TABS.length, true);
        },
      } }, label);
    tab.make = make;
    return tab;
  });
  tabList.append(...tabs);

  function select(i, focus = false) {
    tabs.forEach((t, j) => {
      t.setAttribute('aria-selected', String(i === j));
      t.tabIndex = i === j ? 0 : -1;
    });
    panel.setAttribute('aria-labelledby', tabs[i].id);
    clear(panel, tabs[i].make(ctx));
    history.replaceState(null, '', `#/playground/${TABS[i][0]}`);
    if (focus) tabs[i].focus();
  }

  clear(main, h('h1', {}, 'Playground'),
    h('div.card.fields', {}, field('Gateway URL', url, { hint: 'the public API, as this browser reaches it' }),
      field('Gateway API key', key, { hint: 'kept in this page only' })),
    tabList, panel);
  select(Math.max(0, TABS.findIndex(([id]) => id === params[0])));
}
