import { capture, element } from './capture.js';
import { dataAttrs, selector } from './dom.js';
import { uuid } from './ids.js';
import { area, queue } from './store.js';
import { clean, coord, int, printable, text, typeName } from './text.js';
import { transport } from './transport.js';

// A tab that is still sending rewrites its stored queue at every retry; silence this long means the tab is gone.
const ORPHAN_MS = 300000;
// Over ~12 KB of UTF-8 leaves too little of the server's 16 KiB record for the envelope (a long user agent).
const big = (j) => j.length > 4e3 && new TextEncoder().encode(j).length > 12e3;

const merge = (d, v) => {
  for (const k in v) if (v[k] != null) d[k] = v[k];
  return d;
};

function context(w) {
  const n = w.navigator || {};
  const s = w.screen || {};
  const str = (v, max) => (v && printable(v, max)) || undefined;
  let tz;
  try {
    tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {}
  return JSON.stringify({
    user_agent: str(n.userAgent, 1024),
    screen_w: int(s.width),
    screen_h: int(s.height),
    dpr: w.devicePixelRatio > 0 && w.devicePixelRatio <= 64 ? w.devicePixelRatio : undefined,
    language: str(n.language, 64),
    timezone: str(tz, 64),
    tz_offset_min: int(new Date().getTimezoneOffset(), -1440, 1440),
  });
}

// The seed's constructor arguments as options.
function legacy(w, url, maxActions, maxDelayMs, dataAttributes, constants) {
  const u = new URL(url, w.location && w.location.href);
  const attributes = { ...constants };
  const take = (...ks) => {
    let v;
    for (const k of ks) {
      v = v != null ? v : attributes[k];
      delete attributes[k];
    }
    return v;
  };
  return {
    endpoint: /\/analytics$/.test(u.pathname) ? u.origin + '/v1/batches' : u.href,
    study: take('study') || u.searchParams.get('study') || 'legacy',
    participant: take('user', 'participant'),
    condition: take('condition', 'condition_1'),
    attributes,
    dataAttributes,
    batch: { maxActions, maxDelayMs },
  };
}

export class UserLogger {
  static start(options) {
    return new UserLogger(options);
  }

  // new UserLogger(options), or the seed's new UserLogger(url, maxActions, maxTime, attributesName, constantAttributes)
  constructor(o, ...seed) {
    const w = typeof window != 'undefined' ? window : globalThis;
    const nav = w.navigator || {};
    const doc = w.document;
    o = typeof o == 'string' ? legacy(w, o, ...seed) : o || {};
    const study = String(o.study || 'default');
    if (!o.endpoint) throw Error('UserLogger: no endpoint');
    if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(study)) throw Error('UserLogger: bad study');
    if (o.session != null && !/^[\w.:-]{1,128}$/.test(o.session)) throw Error('UserLogger: bad session');

    const off = o.respectDoNotTrack && (nav.doNotTrack == '1' || w.doNotTrack == '1' || nav.globalPrivacyControl === true);
    const stats = { sent: 0, acknowledged: 0, dropped: 0, retries: 0, rejected: 0 };
    const subs = [];
    const ls = area(w, 'localStorage');
    const ss = area(w, 'sessionStorage');
    const pk = 'ual:p:' + study;
    const sk = 'ual:s:' + study;
    const prefix = 'ual:q:' + study + ':';
    const given = o.participant != null && printable(o.participant, 128);
    const participant = (this.participant = given || ls.get(pk) || uuid(w.crypto));
    const session = (this.session = o.session || ss.get(sk) || uuid(w.crypto));
    const nk = 'ual:n:' + study + ':' + session;
    const condition = (o.condition != null && printable(o.condition, 128)) || undefined;
    let seq = +ss.get(nk) || 0;
    let consent = o.consent === 'pending' ? 'pending' : 'granted';
    let stopped;
    let offs = [];

    const q = queue(ls, merge({ maxActions: 20000 }, o.queue).maxActions, () => ss.set(nk, seq));
    const head = q.head({ study, participant, session, condition }, prefix + session);
    if (!off) q.load(head);

    const endpoint = o.endpoint;
    const t = transport(q, {
      ctx: context(w),
      batch: merge({ maxActions: 50, maxBytes: 48000, maxDelayMs: 2000 }, o.batch),
      retry: merge({ baseMs: 500, maxMs: 30000 }, o.retry),
      stats,
      onError(e) {
        try {
          o.onError(e);
        } catch {}
      },
      // text/plain keeps the request "simple": no CORS preflight, and the same body suits a beacon.
      post: (body, keepalive) =>
        w.fetch(endpoint, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' }, keepalive, credentials: 'omit' }),
      beacon: (body) => {
        try {
          return nav.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }));
        } catch {}
      },
    });

    const attrs = o.attributes && Object.keys(o.attributes).length ? clean(o.attributes) : 0;
    const da = o.dataAttributes;
    const which = da === false ? 0 : Array.isArray(da) ? da.map((n) => (/^data-/.test(n) ? n : 'data-' + n)) : true;

    const rec = (type, ev, el, data = {}, ptr) => {
      if (off || stopped || consent === 'revoked') return;
      if (q.full()) return stats.dropped++;
      const perf = w.performance;
      const origin = perf.timeOrigin;
      const ts = ev && ev.timeStamp;
      const mono = ts > 1e12 ? ts - origin : ts > 0 ? ts : perf.now();
      const a = {
        id: uuid(w.crypto),
        seq: 0,
        type,
        t: Math.round(origin + mono),
        t_mono: Math.max(0, mono),
        url: text(w.location.href, 4096),
        vw: int(w.innerWidth),
        vh: int(w.innerHeight),
      };
      if (ptr && coord(ev.clientX) && coord(ev.clientY)) {
        a.x = ev.clientX;
        a.y = ev.clientY;
        for (const k of ['page_x', 'page_y', 'screen_x', 'screen_y']) {
          const v = ev[k.replace('_x', 'X').replace('_y', 'Y')];
          if (coord(v)) a[k] = v;
        }
      }
      if (el) {
        const tg = (a.target = {});
        if (el.id) tg.id = text(el.id, 256);
        if ((tg.selector = selector(el)) === '') delete tg.selector;
        tg.attrs = dataAttrs(el, which);
      }
      if (attrs) data.attrs = attrs;
      if (el && (ptr || /^(input|change)$/.test(type))) {
        const s = subs.find((s) => {
          try {
            return el.closest(s);
          } catch {}
        });
        if (s) data.subscribed = s;
      }
      if (Object.keys(data).length) a.data = clean(data);
      a.seq = ++seq;
      // The server refuses a batch whose action makes a Kafka record over 16 KiB, and the batch would be
      // split down to this action and dropped: give up the data-* attributes, then the data, first.
      let j = JSON.stringify(a);
      if (big(j) && a.target) delete a.target.attrs, (j = JSON.stringify(a));
      if (big(j)) (a.data = { truncated: true }), (j = JSON.stringify(a));
      q.push(head, j);
      t.added();
    };

    Object.assign(this, {
      log(type, data, el) {
        const tn = typeName(type);
        data = data == null ? {} : typeof data == 'object' && !Array.isArray(data) ? { ...data } : { value: data };
        if (tn !== String(type)) data.name = String(type);
        rec(tn, null, element(el), data);
      },

      // Seed API: a custom action named `action`, with the event's pointer coordinates when it has them.
      addAction(action, event) {
        const tn = typeName(action);
        rec(tn, event, event && element(event.target), tn !== String(action) ? { name: String(action) } : {}, event);
      },

      // Seed API: click, pointer and input actions on elements inside `selector` carry data.subscribed.
      subscribeObject(selector) {
        subs.push(selector);
      },

      grantConsent() {
        if (off) return;
        consent = 'granted';
        ls.on = ss.on = true;
        // Only a generated participant is remembered: a given one may be a different person next time.
        if (!given) ls.set(pk, participant);
        ss.set(sk, session);
        q.adopt(prefix, ORPHAN_MS);
        q.touch();
        t.on = true;
        t.kick();
      },

      revokeConsent() {
        consent = 'revoked';
        t.on = false;
        q.clear();
        ls.on = ss.on = false;
        t.settle();
      },

      flush: () => t.flush(),
      pending: () => q.items.length,
      stats: () => ({ ...stats }),

      stop() {
        offs.forEach((f) => f());
        offs = [];
        stopped = true;
        q.save();
        return t.flush();
      },
    });

    ls.on = ss.on = false;
    if (off) return;
    offs = capture(
      w,
      { capture: o.capture || {}, pointer: merge({ sampleMs: 0, coalesced: true }, o.pointer), keys: o.keys || 'category', inputValues: o.inputValues || 'masked' },
      rec,
    );
    const unload = () => t.unload();
    const vis = () => (doc.visibilityState === 'hidden' ? unload : t.unbeacon)();
    w.addEventListener('pagehide', unload);
    doc.addEventListener('visibilitychange', vis);
    offs.push(
      () => w.removeEventListener('pagehide', unload),
      () => doc.removeEventListener('visibilitychange', vis),
    );
    if (consent === 'granted') this.grantConsent();
  }
}
