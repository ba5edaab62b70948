// Calls to the admin API (same origin, bearer token from session storage) and to the public
// gateway API (another origin: its URL comes from GET /admin/v1/info or the operator).

const TOKEN = 'tollgate.console.token';
const GATEWAY = 'tollgate.console.gatewayUrl';

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Session storage only: the token goes when the tab closes and is never written to disk by us.
export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  setToken: (t) => sessionStorage.setItem(TOKEN, t),
  clear: () => sessionStorage.removeItem(TOKEN),
  gatewayUrl: () => sessionStorage.getItem(GATEWAY),
  setGatewayUrl: (u) => (u ? sessionStorage.setItem(GATEWAY, u) : sessionStorage.removeItem(GATEWAY)),
};

let onUnauthorized = () => {};
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

async function errorOf(res) {
  let message = `${res.status} ${res.statusText}`;
  let code;
  try {
    const body = await res.json();
    if (body && body.error) {
      message = body.error.message || message;
      code = body.error.code || body.error.type;
    }
  } catch (e) {
    // Not JSON (a proxy's page): the status line says enough.
  }
  return new ApiError(res.status, message, code);
}

/** An admin API call; answers the parsed JSON (null for 204), or the Response when raw. */
export async function admin(method, path, body, { raw = false } = {}) {
  const headers = { authorization: `Bearer ${session.token()}` };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    onUnauthorized();
    throw await errorOf(res);
  }
  if (!res.ok) {
    throw await errorOf(res);
  }
  if (raw) {
    return res;
  }
  return res.status === 204 ? null : res.json();
}

export const get = (path) => admin('GET', path);

/** Model names may contain '/': each segment is encoded, the slashes stay (the API's path takes them). */
export function modelPath(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

let info;
/** GET /admin/v1/info, once per page load. */
export async function gatewayInfo() {
  if (!info) {
    info = await get('/admin/v1/info');
  }
  return info;
}

/** The gateway URL the playground uses: the operator's choice this session, else the admin's answer. */
export async function gatewayUrl() {
  const chosen = session.gatewayUrl();
  if (chosen) {
    return chosen;
  }
  const i = await gatewayInfo().catch(() => ({}));
  return i.gateway_url || `${location.protocol}//${location.hostname}:8080`;
}

/** A POST to the public gateway API with a gateway key; answers the Response (streams stay readable). */
export async function gateway(base, key, path, body, signal) {
  const res = await fetch(base.replace(/\/+$/, '') + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) {
    throw await errorOf(res);
  }
  return res;
}
