// src/text.js
var BAD = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff\0]/g;
var keepPairs = (m) => m.length > 1 ? m : "";
var CONTROL = /[\0-\x1f\x7f-\x9f]/g;
var encoder = new TextEncoder();
var bytes = (s) => encoder.encode(s).length;
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

// src/ids.js
function uuid(c = globalThis.crypto) {
  if (c && c.randomUUID) return c.randomUUID();
  const r = new Uint8Array(32);
  if (c && c.getRandomValues) c.getRandomValues(r);
  else r.forEach((_, i2) => r[i2] = Math.random() * 256);
  let i = 0;
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (d) => (d ^ r[i++] & 15 >> d / 4).toString(16));
}

// src/action.js
var tooBig = (json2) => json2.length > 4e3 && bytes(json2) > 12e3;
function actionRecorder(win, options, subscribed, nextSeq) {
  const attributes = options.attributes && Object.keys(options.attributes).length ? clean(options.attributes) : 0;
  const wanted = options.dataAttributes;
  const attributeNames = wanted === false ? 0 : Array.isArray(wanted) ? wanted.map((name) => /^data-/.test(name) ? name : "data-" + name) : true;
  return (type, event, element2, data = {}, isPointer) => {
    const performance = win.performance;
    const origin = performance.timeOrigin;
    const stamp = event && event.timeStamp;
    const sinceOrigin = stamp > 1e12 ? stamp - origin : stamp > 0 ? stamp : performance.now();
    const action = {
      id: uuid(win.crypto),
      seq: 0,
      type,
      t: Math.round(origin + sinceOrigin),
      t_mono: Math.max(0, sinceOrigin),
      url: text(win.location.href, 4096),
      vw: int(win.innerWidth),
      vh: int(win.innerHeight)
    };
    if (isPointer && coord(event.clientX) && coord(event.clientY)) {
      action.x = event.clientX;
      action.y = event.clientY;
      for (const field of ["page_x", "page_y", "screen_x", "screen_y"]) {
        const value = event[field.replace("_x", "X").replace("_y", "Y")];
        if (coord(value)) action[field] = value;
      }
    }
    if (element2) {
      const target = action.target = {};
      if (element2.id) target.id = text(element2.id, 256);
      if ((target.selector = selector(element2)) === "") delete target.selector;
      target.attrs = dataAttrs(element2, attributeNames);
    }
    if (attributes) data.attrs = attributes;
    if (element2 && (isPointer || /^(input|change)$/.test(type))) {
      const inside = subscribed.find((selector2) => {
        try {
          return element2.closest(selector2);
        } catch {
        }
      });
      if (inside) data.subscribed = inside;
    }
    if (Object.keys(data).length) action.data = clean(data);
    action.seq = nextSeq();
    let json2 = JSON.stringify(action);
    if (tooBig(json2) && action.target) delete action.target.attrs, json2 = JSON.stringify(action);
    if (tooBig(json2)) action.data = { truncated: true }, json2 = JSON.stringify(action);
    return json2;
  };
}

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

// src/consent.js
function consent(win, options, storage, queue, sender) {
  const navigator = win.navigator || {};
  const state = {
    off_: options.respectDoNotTrack && (navigator.doNotTrack == "1" || win.doNotTrack == "1" || navigator.globalPrivacyControl === true),
    revoked_: false,
    grant_() {
      if (state.off_) return;
      state.revoked_ = false;
      storage.allowWrites_(true);
      queue.adopt(storage.queuePrefix_);
      queue.touch();
      sender.on = true;
      sender.kick();
    },
    revoke_() {
      state.revoked_ = true;
      sender.on = false;
      queue.clear();
      storage.allowWrites_(false);
      sender.settle();
    }
  };
  return state;
}

// src/context.js
function clientContext(win) {
  const navigator = win.navigator || {};
  const screen = win.screen || {};
  const optional = (value, max) => value && printable(value, max) || void 0;
  let timezone;
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
  }
  return JSON.stringify({
    user_agent: optional(navigator.userAgent, 1024),
    screen_w: int(screen.width),
    screen_h: int(screen.height),
    dpr: win.devicePixelRatio > 0 && win.devicePixelRatio <= 64 ? win.devicePixelRatio : void 0,
    language: optional(navigator.language, 64),
    timezone: optional(timezone, 64),
    tz_offset_min: int((/* @__PURE__ */ new Date()).getTimezoneOffset(), -1440, 1440)
  });
}

// src/legacy.js
function legacyOptions(win, url, maxActions, maxDelayMs, dataAttributes, constantAttributes) {
  const parsed = new URL(url, win.location && win.location.href);
  const attributes = { ...constantAttributes };
  const take = (...names) => {
    let value;
    for (const name of names) {
      value = value != null ? value : attributes[name];
      delete attributes[name];
    }
    return value;
  };
  return {
    endpoint: /\/analytics$/.test(parsed.pathname) ? parsed.origin + "/v1/batches" : parsed.href,
    study: take("study") || parsed.searchParams.get("study") || "legacy",
    participant: take("user", "participant"),
    condition: take("condition", "condition_1"),
    attributes,
    dataAttributes,
    batch: { maxActions, maxDelayMs }
  };
}

// src/store.js
var guard = (f) => (...args) => {
  try {
    return f(...args);
  } catch {
  }
};
function storageArea(win, name) {
  let storage;
  guard(() => storage = win[name])();
  const area = {
    writable_: false,
    get_: guard((key) => storage.getItem(key)),
    set_: guard((key, value) => area.writable_ && storage.setItem(key, value)),
    delete_: guard((key) => storage.removeItem(key)),
    keys_: () => guard(() => Array.from({ length: storage.length }, (_, i) => storage.key(i)))() || []
  };
  return area;
}
function studyStorage(win, study, options) {
  const local = storageArea(win, "localStorage");
  const tab = storageArea(win, "sessionStorage");
  const participantKey = "ual:p:" + study;
  const sessionKey = "ual:s:" + study;
  const given = options.participant != null && printable(options.participant, 128);
  const participant = given || local.get_(participantKey) || uuid(win.crypto);
  const session = options.session || tab.get_(sessionKey) || uuid(win.crypto);
  const seqKey = "ual:n:" + study + ":" + session;
  const queuePrefix = "ual:q:" + study + ":";
  let seq = +tab.get_(seqKey) || 0;
  const storage = {
    local_: local,
    participant_: participant,
    session_: session,
    queuePrefix_: queuePrefix,
    queueKey_: queuePrefix + session,
    nextSeq_: () => ++seq,
    saveSeq_: () => tab.set_(seqKey, seq),
    allowWrites_(allowed) {
      local.writable_ = tab.writable_ = allowed;
      if (!allowed) return;
      if (!given) local.set_(participantKey, participant);
      tab.set_(sessionKey, session);
    }
  };
  return storage;
}
var ORPHAN_MS = 3e5;
var read = (ls, k) => {
  const r = guard(JSON.parse)(ls.get_(k));
  return r && r.h && Array.isArray(r.a) ? r : null;
};
function persistedQueue(ls, max, onsave) {
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
    // Queues of other sessions of the study whose tab is gone: nothing wrote them for ORPHAN_MS.
    adopt(prefix) {
      const mine = Array.from(heads, (h) => h.k);
      for (const k of ls.keys_()) {
        if (!k.startsWith(prefix) || mine.includes(k)) continue;
        const r = read(ls, k);
        if (!r) ls.delete_(k);
        else if (!(Date.now() - r.t < ORPHAN_MS) && q.items.length + r.a.length <= max) {
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
        if (l) ls.set_(h.k, '{"t":' + Date.now() + ',"h":' + JSON.stringify(h.m) + ',"a":[' + l + "]}");
        else {
          ls.delete_(h.k);
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
var withDefaults = (defaults, options) => {
  for (const name in options) if (options[name] != null) defaults[name] = options[name];
  return defaults;
};
var UserLogger = class _UserLogger {
  static start(options) {
    return new _UserLogger(options);
  }
  // new UserLogger(options), or the seed's new UserLogger(url, maxActions, maxTime, attributesName, constantAttributes)
  constructor(options, ...seedArguments) {
    const win = typeof window != "undefined" ? window : globalThis;
    const doc = win.document;
    options = typeof options == "string" ? legacyOptions(win, options, ...seedArguments) : options || {};
    const study = String(options.study || "default");
    const endpoint = options.endpoint;
    if (!endpoint) throw Error("UserLogger: no endpoint");
    if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(study)) throw Error("UserLogger: bad study");
    if (options.session != null && !/^[\w.:-]{1,128}$/.test(options.session)) throw Error("UserLogger: bad session");
    const storage = studyStorage(win, study, options);
    const participant = this.participant = storage.participant_;
    const session = this.session = storage.session_;
    const condition = options.condition != null && printable(options.condition, 128) || void 0;
    const stats = { sent: 0, acknowledged: 0, dropped: 0, retries: 0, rejected: 0 };
    const queue = persistedQueue(storage.local_, withDefaults({ maxActions: 2e4 }, options.queue).maxActions, storage.saveSeq_);
    const head = queue.head({ study, participant, session, condition }, storage.queueKey_);
    const sender = transport(queue, {
      ctx: clientContext(win),
      batch: withDefaults({ maxActions: 50, maxBytes: 48e3, maxDelayMs: 2e3 }, options.batch),
      retry: withDefaults({ baseMs: 500, maxMs: 3e4 }, options.retry),
      stats,
      onError(error) {
        try {
          options.onError(error);
        } catch {
        }
      },
      // text/plain keeps the request "simple": no CORS preflight, and the same body suits a beacon.
      post: (body, keepalive) => win.fetch(endpoint, { method: "POST", body, headers: { "Content-Type": "text/plain" }, keepalive, credentials: "omit" }),
      beacon: (body) => {
        try {
          return win.navigator.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }));
        } catch {
        }
      }
    });
    const consent2 = consent(win, options, storage, queue, sender);
    if (!consent2.off_) queue.load(head);
    const subscribed = [];
    const makeAction = actionRecorder(win, options, subscribed, storage.nextSeq_);
    let stopped;
    let removeListeners = [];
    const record = (type, event, target, data, isPointer) => {
      if (consent2.off_ || stopped || consent2.revoked_) return;
      if (queue.full()) return stats.dropped++;
      queue.push(head, makeAction(type, event, target, data, isPointer));
      sender.added();
    };
    Object.assign(this, {
      log(type, data, target) {
        const name = typeName(type);
        data = data == null ? {} : typeof data == "object" && !Array.isArray(data) ? { ...data } : { value: data };
        if (name !== String(type)) data.name = String(type);
        record(name, null, element(target), data);
      },
      // Seed API: a custom action named `action`, with the event's pointer coordinates when it has them.
      addAction(action, event) {
        const name = typeName(action);
        record(name, event, event && element(event.target), name !== String(action) ? { name: String(action) } : {}, event);
      },
      // Seed API: click, pointer and input actions on elements inside `selector` carry data.subscribed.
      subscribeObject(selector2) {
        subscribed.push(selector2);
      },
      grantConsent: consent2.grant_,
      revokeConsent: consent2.revoke_,
      flush: () => sender.flush(),
      pending: () => queue.items.length,
      stats: () => ({ ...stats }),
      stop() {
        removeListeners.forEach((remove) => remove());
        removeListeners = [];
        stopped = true;
        queue.save();
        return sender.flush();
      }
    });
    if (consent2.off_) return;
    removeListeners = capture(
      win,
      {
        capture: options.capture || {},
        pointer: withDefaults({ sampleMs: 0, coalesced: true }, options.pointer),
        keys: options.keys || "category",
        inputValues: options.inputValues || "masked"
      },
      record
    );
    const unload = () => sender.unload();
    const onVisibility = () => (doc.visibilityState === "hidden" ? unload : sender.unbeacon)();
    win.addEventListener("pagehide", unload);
    doc.addEventListener("visibilitychange", onVisibility);
    removeListeners.push(
      () => win.removeEventListener("pagehide", unload),
      () => doc.removeEventListener("visibilitychange", onVisibility)
    );
    if (options.consent !== "pending") consent2.grant_();
  }
};
export {
  UserLogger
};
