// Small hand-written stand-ins for the browser, for the tests of logic (queue, transport, consent,
// seq, the wire format): storage, network, window and document as event targets, and bare elements.
// What the logger captures from a page is tested in Chromium instead (browser.mjs). The elements
// remain for schema.test.mjs, whose hostile strings a real page cannot send: a fetch body turns lone
// surrogates into U+FFFD before the server would see them.
import { UserLogger } from '../../src/index.js';

export const ENDPOINT = 'https://ingest.example/v1/batches';

export class FakeStorage {
  constructor({ quota = Infinity, broken = false } = {}) {
    this.m = new Map();
    this.quota = quota;
    this.broken = broken;
  }
  check() {
    if (this.broken) throw new Error('SecurityError: access denied');
  }
  get length() {
    this.check();
    return this.m.size;
  }
  key(i) {
    this.check();
    return [...this.m.keys()][i] ?? null;
  }
  getItem(k) {
    this.check();
    return this.m.has(k) ? this.m.get(k) : null;
  }
  setItem(k, v) {
    this.check();
    let used = String(v).length;
    for (const [key, val] of this.m) if (key !== k) used += val.length;
    if (used > this.quota) throw new Error('QuotaExceededError');
    this.m.set(k, String(v));
  }
  removeItem(k) {
    this.check();
    this.m.delete(k);
  }
  json(k) {
    return JSON.parse(this.m.get(k));
  }
  keysLike(prefix) {
    return [...this.m.keys()].filter((k) => k.startsWith(prefix));
  }
}

export class FakeTarget {
  constructor() {
    this.listeners = [];
  }
  addEventListener(type, fn, opts) {
    this.listeners.push({ type, fn, capture: !!(opts === true || (opts && opts.capture)) });
  }
  removeEventListener(type, fn, opts) {
    const capture = !!(opts === true || (opts && opts.capture));
    this.listeners = this.listeners.filter((l) => !(l.type === type && l.fn === fn && l.capture === capture));
  }
  // Events are plain objects: the logger reads only properties.
  fire(type, props = {}) {
    const ev = { type, timeStamp: performance.now(), target: this, ...props };
    for (const l of [...this.listeners]) if (l.type === type) l.fn(ev);
    return ev;
  }
}

export function element(tag, { id = '', attrs = {}, parent = null, ...props } = {}) {
  const e = {
    nodeType: 1,
    tagName: tag.toUpperCase(),
    id,
    parentElement: parent,
    children: [],
    attributes: Object.entries(attrs).map(([name, value]) => ({ name, value: String(value) })),
    hasAttribute(n) {
      return this.attributes.some((x) => x.name === n);
    },
    get previousElementSibling() {
      const s = parent ? parent.children : [];
      return s[s.indexOf(this) - 1] || null;
    },
    get nextElementSibling() {
      const s = parent ? parent.children : [];
      return s[s.indexOf(this) + 1] || null;
    },
    ...props,
  };
  if (parent) parent.children.push(e);
  return e;
}

function response({ status = 202, headers = {}, body } = {}) {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const text = body === undefined ? '' : typeof body == 'string' ? body : JSON.stringify(body);
  return { status, ok: status >= 200 && status < 300, headers: { get: (k) => h[k.toLowerCase()] ?? null }, text: async () => text };
}

// w.respond(call) returns the answer ({status, headers, body}, or 'network' for a failed request),
// or nothing to leave the request pending until the test calls call.answer(...).
export function fakeWindow({ href = 'https://study.example/task?trial=1', local, session, crypto = globalThis.crypto } = {}) {
  const w = new FakeTarget();
  const doc = new FakeTarget();
  Object.assign(doc, { nodeType: 9, visibilityState: 'visible', referrer: '' });
  doc.documentElement = element('html');
  doc.body = element('body', { parent: doc.documentElement });
  const go = (url) => (w.location.href = new URL(url, w.location.href).href);
  Object.assign(w, {
    document: doc,
    location: { href },
    history: { pushState: (s, t, url) => go(url), replaceState: (s, t, url) => go(url) },
    navigator: {
      userAgent: 'Mozilla/5.0 (FakeBrowser)',
      language: 'en-GB',
      sendBeacon(url, blob) {
        w.beacons.push({ url, blob });
        return w.beaconResult;
      },
    },
    screen: { width: 1920, height: 1080 },
    devicePixelRatio: 2,
    innerWidth: 1280,
    innerHeight: 800,
    scrollX: 0,
    scrollY: 0,
    performance,
    crypto,
    localStorage: local || new FakeStorage(),
    sessionStorage: session || new FakeStorage(),
    calls: [],
    beacons: [],
    beaconResult: true,
    fetchThrows: false,
    respond: (call) => ({ status: 202, body: { accepted: call.body.actions.length, duplicates_dropped: 0 } }),
    fetch(url, init) {
      if (w.fetchThrows) throw new TypeError('fetch is not available');
      const call = { url, init, body: JSON.parse(init.body) };
      w.calls.push(call);
      return new Promise((resolve, reject) => {
        call.answer = (spec) => (spec === 'network' ? reject(new TypeError('Failed to fetch')) : resolve(response(spec)));
        const spec = w.respond(call);
        if (spec) call.answer(spec);
      });
    },
    // Every action the server has seen, in order.
    sent() {
      return w.calls.flatMap((c) => c.body.actions);
    },
  });
  return w;
}

export function start(options = {}, w = fakeWindow()) {
  globalThis.window = w;
  const logger = UserLogger.start({ endpoint: ENDPOINT, study: 'demo', participant: 'p-001', ...options });
  return { w, logger };
}

// Lets promise chains (fetch answers, async handlers) run; timers stay under mock control.
export async function settle(rounds = 20) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export const click = (w, target, props = {}) =>
  w.fire('click', { target, clientX: 10.25, clientY: 20.5, pageX: 10.25, pageY: 220.5, screenX: 110.25, screenY: 320.5, button: 0, buttons: 0, pointerType: 'mouse', ...props });

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const KINDS = 'click dblclick contextmenu pointerdown pointerup pointermove wheel scroll keys input focus visibility resize navigation page';
// Every capture kind off: only logger.log() records, so tests count exactly what they log.
export const NO_CAPTURE = Object.fromEntries(KINDS.split(' ').map((k) => [k, false]));

export const NOW = 1764412800000;
