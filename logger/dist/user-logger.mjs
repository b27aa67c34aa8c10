// src/text.js
var BAD = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff\0]/g;
var keepPairs = (m) => m.length > 1 ? m : "";
var CONTROL = /[\0-\x1f\x7f-\x9f]/g;
function text(s, max = 1e9) {
  s = String(s).replace(BAD, keepPairs);
  return s.length > max ? s.slice(0, max).replace(BAD, keepPairs) : s;
}
var printable = (s, max) => text(String(s).replace(CONTROL, ""), max);
function typeName(t) {
  t = String(t).replace(/[^\w.:-]/g, "_");
  return (/^[a-z]/i.test(t) ? t : "a" + t).slice(0, 64);
}
function int(v, min = 0, max = 1e5) {
  v = Math.round(v);
  return v >= min && v <= max ? v : void 0;
}
var coord = (v) => typeof v == "number" && Math.abs(v) <= 1e7;
var json = (v, d) => typeof v == "string" ? text(v) : !v || typeof v != "object" ? v : d > 8 ? void 0 : Array.isArray(v) ? v.map((x) => json(x, d + 1)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), json(x, d + 1)]));
function clean(v) {
  try {
    return json(JSON.parse(JSON.stringify(v, (k, x) => typeof x == "bigint" ? String(x) : x)), 1);
  } catch {
  }
}

// src/dom.js
function selector(el) {
  let s = "";
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const tag = e.tagName.toLowerCase();
    if (tag === "body" || tag === "html") {
      s = s || tag;
      break;
    }
    let i = 1;
    for (let p = e; p = p.previousElementSibling; ) i++;
    const part = e.id ? tag + (/^[a-z][\w-]*$/i.test(e.id) ? "#" + e.id : "[id=" + JSON.stringify(e.id) + "]") : i > 1 || e.nextElementSibling ? tag + ":nth-child(" + i + ")" : tag;
    if (s.length + part.length > 1020) break;
    s = s ? part + " > " + s : part;
    if (e.id) break;
  }
  return text(s, 1024);
}
function dataAttrs(el, which) {
  let o;
  let n = 0;
  let room = 4096;
  for (const { name, value } of which && el.attributes || []) {
    const v = text(value, Math.min(1024, room));
    if (n < 32 && v && name.startsWith("data-") && (which === true || which.includes(name)))
      (o = o || {})[text(name)] = v, n++, room -= v.length;
  }
  return o;
}
var has = (el, a) => el.hasAttribute && el.hasAttribute(a);
var secret = (el) => /^password$/i.test(el.type) || /password/i.test(el.autocomplete);
function inputData(el, mode) {
  const v = "value" in el ? String(el.value == null ? "" : el.value) : el.textContent || "";
  const d = { length: v.length };
  if (!secret(el) && (mode === "all" ? !has(el, "data-ual-mask") : has(el, "data-ual-record-value"))) {
    if (/^(checkbox|radio)$/i.test(el.type)) d.checked = !!el.checked;
    else d.value = text(v, 4096);
  }
  return d;
}
var NAMED = { Enter: "enter", Backspace: "backspace", Tab: "tab", " ": "space" };
var keyCategory = (k) => NAMED[k] || (Array.from(k).length === 1 ? /\p{L}/u.test(k) ? "letter" : /\p{N}/u.test(k) ? "digit" : /\s/.test(k) ? "space" : "punctuation" : /^Arrow/.test(k) ? "arrow" : /^(Shift|Control|Alt|Meta|OS|Super|Hyper|Fn|Symbol|(Caps|Num|Scroll)Lock)/.test(k) ? "modifier" : /^F\d\d?$/.test(k) ? "function" : "other");

// src/capture.js
var OPTS = { capture: true, passive: true };
var element = (t) => {
  if (t && t.nodeType === 3) t = t.parentElement;
  return t && t.nodeType === 1 ? t : void 0;
};
function pointerData(ev) {
  const d = { button: ev.button, buttons: ev.buttons };
  if (ev.pointerType) d.pointer_type = ev.pointerType;
  if (ev.pressure != null) d.pressure = ev.pressure;
  if (ev.isPrimary === false) d.pointer_id = ev.pointerId;
  return d;
}
function capture(w, o, rec) {
  const c = (kind) => o.capture[kind] !== false;
  const doc = w.document;
  const offs = [];
  const on = (types, fn, t = w) => {
    for (const type of types.split(" ")) {
      const f = (ev) => fn(ev, element(ev.target), type);
      t.addEventListener(type, f, OPTS);
      offs.push(() => t.removeEventListener(type, f, OPTS));
    }
  };
  for (const type of ["click", "dblclick", "contextmenu", "pointerdown", "pointerup"]) {
    if (c(type)) on(type, (ev, el) => rec(type, ev, el, pointerData(ev), 1));
  }
  if (c("pointermove")) {
    const { sampleMs, coalesced } = o.pointer;
    let last = -Infinity;
    on("pointermove", (ev, el) => {
      if (sampleMs) {
        if (ev.timeStamp - last < sampleMs) return;
        last = ev.timeStamp;
      }
      const all = !sampleMs && coalesced && ev.getCoalescedEvents ? ev.getCoalescedEvents() : [];
      for (const e of all.length ? all : [ev]) rec("pointermove", e, el, pointerData(e), 1);
    });
  }
  if (c("wheel")) on("wheel", (ev, el) => rec("wheel", ev, el, { dx: ev.deltaX, dy: ev.deltaY, mode: ev.deltaMode, buttons: ev.buttons }, 1));
  if (c("scroll")) {
    on(
      "scroll",
      (ev, el) => rec("scroll", ev, el, el ? { scroll_x: el.scrollLeft, scroll_y: el.scrollTop } : { scroll_x: w.scrollX, scroll_y: w.scrollY })
    );
  }
  if (c("keys") && o.keys !== "none") {
    on("keydown keyup", (ev, el, type) => {
      const key = ev.key || "";
      const d = { category: keyCategory(key) };
      if (o.keys === "full" && !(el && secret(el))) {
        d.key = text(key);
        d.code = text(ev.code || "");
      }
      if (ev.repeat) d.repeat = true;
      const mods = ["ctrl", "alt", "shift", "meta"].filter((m) => ev[m + "Key"]);
      if (mods.length) d.modifiers = mods;
      rec(type, ev, el, d);
    });
  }
  if (c("input")) on("input change", (ev, el, type) => el && rec(type, ev, el, inputData(el, o.inputValues)));
  if (c("focus")) on("focusin focusout", (ev, el, type) => rec(type === "focusin" ? "focus" : "blur", ev, el));
  if (c("visibility")) on("visibilitychange", (ev) => rec("visibility", ev, void 0, { state: doc.visibilityState }), doc);
  if (c("resize")) on("resize", (ev) => rec("resize", ev, void 0, { vw: w.innerWidth, vh: w.innerHeight }));
  if (c("navigation")) {
    let last = w.location.href;
    const nav = (ev, _, via) => {
      const to = w.location.href;
      if (to !== last) rec("navigate", ev, void 0, { from: text(last, 4096), to: text(to, 4096), via });
      last = to;
    };
    const h = w.history;
    for (const m of ["pushState", "replaceState"]) {
      const orig = h[m];
      const wrapped = function(...a) {
        const r = orig.apply(this, a);
        nav(null, 0, m);
        return r;
      };
      h[m] = wrapped;
      offs.push(() => {
        if (h[m] === wrapped) h[m] = orig;
      });
    }
    on("popstate hashchange", nav);
  }
  if (c("page")) {
    rec("page_load");
    on("pagehide", (ev) => rec("page_unload", ev, void 0, { persisted: !!ev.persisted }));
  }
  return offs;
}

// src/ids.js
function uuid(c = globalThis.crypto) {
  if (c && c.randomUUID) return c.randomUUID();
  const r = new Uint8Array(32);
  if (c && c.getRandomValues) c.getRandomValues(r);
  else r.forEach((_, i2) => r[i2] = Math.random() * 256);
  let i = 0;
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (d) => (d ^ r[i++] & 15 >> d / 4).toString(16));
}

// src/store.js
var encoder = new TextEncoder();
var bytes = (s) => encoder.encode(s).length;
var guard = (f) => (...a) => {
  try {
    return f(...a);
  } catch {
  }
};
function area(w, name) {
  let s;
  guard(() => s = w[name])();
  const a = {
    on: true,
    get: guard((k) => s.getItem(k)),
    set: guard((k, v) => a.on && s.setItem(k, v)),
    del: guard((k) => s.removeItem(k)),
    keys: () => guard(() => Array.from({ length: s.length }, (_, i) => s.key(i)))() || []
  };
  return a;
}
var read = (ls, k) => {
  const r = guard(JSON.parse)(ls.get(k));
  return r && r.h && Array.isArray(r.a) ? r : null;
};
function queue(ls, max, onsave) {
  const heads = /* @__PURE__ */ new Set();
  let dirty, tm;
  const q = {
    items: [],
    n: 0,
    // waiting entries
    b: 0,
    // and their bytes
    // A head per stored queue: the batch fields its actions belong to and its storage key.
    head(m, k, adopted) {
      const h = { m, k, adopted, b: JSON.stringify(m).slice(0, -1) };
      heads.add(h);
      return h;
    },
    full: () => q.items.length >= max,
    push(h, j) {
      const e = { h, j, n: bytes(j), s: 0 };
      q.items.push(e);
      q.n++;
      q.b += e.n;
      q.touch();
    },
    set(e, s) {
      if (e.s === s || e.s < 0) return;
      const d = !s - !e.s;
      q.n += d;
      q.b += d * e.n;
      e.s = s;
    },
    remove(list) {
      for (const e of list) q.set(e, -1);
      q.items = q.items.filter((e) => e.s >= 0);
      q.touch();
    },
    clear() {
      q.remove(q.items);
      q.save();
    },
    load(h) {
      const r = read(ls, h.k);
      if (r) for (const a of r.a) q.push(h, JSON.stringify(a));
    },
    // Queues of other sessions of the study whose tab is gone: nothing wrote them for `age` ms.
    adopt(prefix, age) {
      const mine = Array.from(heads, (h) => h.k);
      for (const k of ls.keys()) {
        if (!k.startsWith(prefix) || mine.includes(k)) continue;
        const r = read(ls, k);
        if (!r) ls.del(k);
        else if (!(Date.now() - r.t < age) && q.items.length + r.a.length <= max) {
          const { study, participant, session, condition } = r.h;
          const h = q.head({ study, participant, session, condition }, k, 1);
          for (const a of r.a) q.push(h, JSON.stringify(a));
        }
      }
    },
    touch() {
      dirty = 1;
      tm = tm || setTimeout(q.save, 500);
    },
    save() {
      clearTimeout(tm);
      tm = 0;
      if (!dirty) return;
      dirty = 0;
      onsave();
      const by = /* @__PURE__ */ new Map();
      for (const e of q.items) (by.get(e.h) || by.set(e.h, []).get(e.h)).push(e.j);
      for (const h of heads) {
        const l = by.get(h);
        if (l) ls.set(h.k, '{"t":' + Date.now() + ',"h":' + JSON.stringify(h.m) + ',"a":[' + l + "]}");
        else {
          ls.del(h.k);
          if (h.adopted) heads.delete(h);
        }
      }
    }
  };
  return q;
}

// src/transport.js
var KEEPALIVE = 6e4;
function transport(q, o) {
  const { batch, retry, stats } = o;
  const extra = bytes(o.ctx) + 60;
  let busy = 0;
  let wait = 0;
  let timer = 0;
  let due = 0;
  let attempt = 0;
  let forced = [];
  let waiters = [];
  const t = {
    on: false,
    added() {
      if (q.n === 1) due = Date.now() + batch.maxDelayMs;
      t.kick();
    },
    kick() {
      const now = Date.now();
      if (!t.on || busy || wait || !q.n) return;
      if (q.n >= batch.maxActions || q.b >= batch.maxBytes || waiters.length || now >= due) send(pick(batch.maxBytes));
      else timer = timer || setTimeout(() => t.kick(timer = 0), due - now);
    },
    settle() {
      waiters = waiters.filter((w) => w.g.some((e) => e.s >= 0) || w.r());
    },
    flush() {
      t.unbeacon();
      const g = q.items.slice();
      return new Promise((r) => {
        waiters.push({ g, r });
        t.settle();
        t.kick();
      });
    },
    // Visible again: actions handed to a beacon go again, for an answer (the server dedupes by id).
    unbeacon() {
      for (const e of q.items) if (e.s === 2) q.set(e, 0);
      t.kick();
    },
    unload() {
      q.save();
      for (let g; t.on && (g = pick(Math.min(KEEPALIVE, batch.maxBytes))).length; ) send(g, 1);
    }
  };
  function pick(max) {
    for (let f; f = forced[0]; forced.shift()) {
      f = f.filter((e) => !e.s);
      if (f.length) return forced[0] = f;
    }
    const out = [];
    let h, size;
    for (const e of q.items) {
      if (e.s || h && e.h !== h) continue;
      if (!h) size = bytes((h = e.h).b) + extra;
      else if (out.length >= batch.maxActions || size + e.n > max) break;
      out.push(e);
      size += e.n + 1;
    }
    return out;
  }
  function send(g, final) {
    const body = g[0].h.b + ',"sent_at":' + Date.now() + ',"context":' + o.ctx + ',"actions":[' + g.map((e) => e.j) + "]}";
    q.save();
    for (const e of g) q.set(e, 1);
    stats.sent += g.length;
    busy++;
    new Promise((r) => r(o.post(body, bytes(body) <= KEEPALIVE))).then(
      (r) => done(g, r, body, final),
      () => done(g, 0, body, final)
    );
  }
  async function done(g, r, body, final) {
    const st = r ? r.status : 0;
    let err;
    if (st < 200 || st > 299) {
      try {
        err = JSON.parse(await r.text());
      } catch {
      }
      if (!err || typeof err != "object") err = { status: st };
    }
    busy--;
    const live = g.filter((e) => e.s === 1);
    const back = () => live.forEach((e) => q.set(e, 0));
    if (!st || st === 408 || st === 429 || st > 499) {
      if (final && !st && o.beacon(body)) live.forEach((e) => q.set(e, 2));
      else {
        back();
        stats.retries++;
        q.touch();
        backoff(r, err);
      }
    } else {
      if (forced[0] === g) forced.shift();
      if (st < 300) {
        q.remove(live);
        stats.acknowledged += live.length;
        attempt = 0;
      } else if (st === 413 && g.length > 1) {
        back();
        forced.unshift(g.slice(0, g.length / 2), g.slice(g.length / 2));
      } else {
        q.remove(live);
        stats.rejected += live.length;
        o.onError(err);
      }
    }
    t.settle();
    t.kick();
  }
  function backoff(r, err) {
    const after = parseFloat(r && r.headers && r.headers.get("Retry-After")) || +err.retry_after_s;
    const cap = Math.min(retry.maxMs, retry.baseMs * 2 ** ++attempt);
    clearTimeout(wait);
    wait = setTimeout(() => t.kick(wait = 0), after > 0 ? after * 1e3 : retry.baseMs + Math.random() * (cap - retry.baseMs));
  }
  return t;
}

// src/index.js
var ORPHAN_MS = 3e5;
var big = (j) => j.length > 4e3 && new TextEncoder().encode(j).length > 12e3;
var merge = (d, v) => {
  for (const k in v) if (v[k] != null) d[k] = v[k];
  return d;
};
function context(w) {
  const n = w.navigator || {};
  const s = w.screen || {};
  const str = (v, max) => v && printable(v, max) || void 0;
  let tz;
  try {
    tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
  }
  return JSON.stringify({
    user_agent: str(n.userAgent, 1024),
    screen_w: int(s.width),
    screen_h: int(s.height),
    dpr: w.devicePixelRatio > 0 && w.devicePixelRatio <= 64 ? w.devicePixelRatio : void 0,
    language: str(n.language, 64),
    timezone: str(tz, 64),
    tz_offset_min: int((/* @__PURE__ */ new Date()).getTimezoneOffset(), -1440, 1440)
  });
}
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
    endpoint: /\/analytics$/.test(u.pathname) ? u.origin + "/v1/batches" : u.href,
    study: take("study") || u.searchParams.get("study") || "legacy",
    participant: take("user", "participant"),
    condition: take("condition", "condition_1"),
    attributes,
    dataAttributes,
    batch: { maxActions, maxDelayMs }
  };
}
var UserLogger = class _UserLogger {
  static start(options) {
    return new _UserLogger(options);
  }
  // new UserLogger(options), or the seed's new UserLogger(url, maxActions, maxTime, attributesName, constantAttributes)
  constructor(o, ...seed) {
    const w = typeof window != "undefined" ? window : globalThis;
    const nav = w.navigator || {};
    const doc = w.document;
    o = typeof o == "string" ? legacy(w, o, ...seed) : o || {};
    const study = String(o.study || "default");
    if (!o.endpoint) throw Error("UserLogger: no endpoint");
    if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(study)) throw Error("UserLogger: bad study");
    if (o.session != null && !/^[\w.:-]{1,128}$/.test(o.session)) throw Error("UserLogger: bad session");
    const off = o.respectDoNotTrack && (nav.doNotTrack == "1" || w.doNotTrack == "1" || nav.globalPrivacyControl === true);
    const stats = { sent: 0, acknowledged: 0, dropped: 0, retries: 0, rejected: 0 };
    const subs = [];
    const ls = area(w, "localStorage");
    const ss = area(w, "sessionStorage");
    const pk = "ual:p:" + study;
    const sk = "ual:s:" + study;
    const prefix = "ual:q:" + study + ":";
    const given = o.participant != null && printable(o.participant, 128);
    const participant = this.participant = given || ls.get(pk) || uuid(w.crypto);
    const session = this.session = o.session || ss.get(sk) || uuid(w.crypto);
    const nk = "ual:n:" + study + ":" + session;
    const condition = o.condition != null && printable(o.condition, 128) || void 0;
    let seq = +ss.get(nk) || 0;
    let consent = o.consent === "pending" ? "pending" : "granted";
    let stopped;
    let offs = [];
    const q = queue(ls, merge({ maxActions: 2e4 }, o.queue).maxActions, () => ss.set(nk, seq));
    const head = q.head({ study, participant, session, condition }, prefix + session);
    if (!off) q.load(head);
    const endpoint = o.endpoint;
    const t = transport(q, {
      ctx: context(w),
      batch: merge({ maxActions: 50, maxBytes: 48e3, maxDelayMs: 2e3 }, o.batch),
      retry: merge({ baseMs: 500, maxMs: 3e4 }, o.retry),
      stats,
      onError(e) {
        try {
          o.onError(e);
        } catch {
        }
      },
      // text/plain keeps the request "simple": no CORS preflight, and the same body suits a beacon.
      post: (body, keepalive) => w.fetch(endpoint, { method: "POST", body, headers: { "Content-Type": "text/plain" }, keepalive, credentials: "omit" }),
      beacon: (body) => {
        try {
          return nav.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }));
        } catch {
        }
      }
    });
    const attrs = o.attributes && Object.keys(o.attributes).length ? clean(o.attributes) : 0;
    const da = o.dataAttributes;
    const which = da === false ? 0 : Array.isArray(da) ? da.map((n) => /^data-/.test(n) ? n : "data-" + n) : true;
    const rec = (type, ev, el, data = {}, ptr) => {
      if (off || stopped || consent === "revoked") return;
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
        vh: int(w.innerHeight)
      };
      if (ptr && coord(ev.clientX) && coord(ev.clientY)) {
        a.x = ev.clientX;
        a.y = ev.clientY;
        for (const k of ["page_x", "page_y", "screen_x", "screen_y"]) {
          const v = ev[k.replace("_x", "X").replace("_y", "Y")];
          if (coord(v)) a[k] = v;
        }
      }
      if (el) {
        const tg = a.target = {};
        if (el.id) tg.id = text(el.id, 256);
        if ((tg.selector = selector(el)) === "") delete tg.selector;
        tg.attrs = dataAttrs(el, which);
      }
      if (attrs) data.attrs = attrs;
      if (el && (ptr || /^(input|change)$/.test(type))) {
        const s = subs.find((s2) => {
          try {
            return el.closest(s2);
          } catch {
          }
        });
        if (s) data.subscribed = s;
      }
      if (Object.keys(data).length) a.data = clean(data);
      a.seq = ++seq;
      let j = JSON.stringify(a);
      if (big(j) && a.target) delete a.target.attrs, j = JSON.stringify(a);
      if (big(j)) a.data = { truncated: true }, j = JSON.stringify(a);
      q.push(head, j);
      t.added();
    };
    Object.assign(this, {
      log(type, data, el) {
        const tn = typeName(type);
        data = data == null ? {} : typeof data == "object" && !Array.isArray(data) ? { ...data } : { value: data };
        if (tn !== String(type)) data.name = String(type);
        rec(tn, null, element(el), data);
      },
      // Seed API: a custom action named `action`, with the event's pointer coordinates when it has them.
      addAction(action, event) {
        const tn = typeName(action);
        rec(tn, event, event && element(event.target), tn !== String(action) ? { name: String(action) } : {}, event);
      },
      // Seed API: click, pointer and input actions on elements inside `selector` carry data.subscribed.
      subscribeObject(selector2) {
        subs.push(selector2);
      },
      grantConsent() {
        if (off) return;
        consent = "granted";
        ls.on = ss.on = true;
        if (!given) ls.set(pk, participant);
        ss.set(sk, session);
        q.adopt(prefix, ORPHAN_MS);
        q.touch();
        t.on = true;
        t.kick();
      },
      revokeConsent() {
        consent = "revoked";
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
      }
    });
    ls.on = ss.on = false;
    if (off) return;
    offs = capture(
      w,
      { capture: o.capture || {}, pointer: merge({ sampleMs: 0, coalesced: true }, o.pointer), keys: o.keys || "category", inputValues: o.inputValues || "masked" },
      rec
    );
    const unload = () => t.unload();
    const vis = () => (doc.visibilityState === "hidden" ? unload : t.unbeacon)();
    w.addEventListener("pagehide", unload);
    doc.addEventListener("visibilitychange", vis);
    offs.push(
      () => w.removeEventListener("pagehide", unload),
      () => doc.removeEventListener("visibilitychange", vis)
    );
    if (consent === "granted") this.grantConsent();
  }
};
export {
  UserLogger
};
