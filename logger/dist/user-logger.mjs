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
function actionMaker(win, options, subscribed, nextSeq) {
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
function consentState(win, options, storage, queue, sender) {
  const navigator = win.navigator || {};
  const state = {
    off_: options.respectDoNotTrack && (navigator.doNotTrack == "1" || win.doNotTrack == "1" || navigator.globalPrivacyControl === true),
    revoked_: false,
    grant_() {
      if (state.off_) return;
      state.revoked_ = false;
      storage.allowWrites_(true);
      queue.adopt_(storage.queuePrefix_);
      queue.touch_();
      sender.sending_ = true;
      sender.kick_();
    },
    revoke_() {
      state.revoked_ = true;
      sender.sending_ = false;
      queue.clear_();
      storage.allowWrites_(false);
      sender.settle_();
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
var WAITING = 0;
var IN_FLIGHT = 1;
var BEACONED = 2;
var GONE = -1;
var readStored = (local, key) => {
  const stored = guard(JSON.parse)(local.get_(key));
  return stored && stored.h && Array.isArray(stored.a) ? stored : null;
};
function persistedQueue(local, maxActions, onSave) {
  const heads = /* @__PURE__ */ new Set();
  let dirty, saveTimer;
  const queue = {
    entries_: [],
    waiting_: 0,
    waitingBytes_: 0,
    // A head per stored queue: the batch fields its actions belong to, its storage key, and the
    // batch's body up to the fields the transport adds.
    head_(fields, key, adopted) {
      const head = { fields_: fields, key_: key, adopted_: adopted, bodyStart_: JSON.stringify(fields).slice(0, -1) };
      heads.add(head);
      return head;
    },
    full_: () => queue.entries_.length >= maxActions,
    push_(head, json2) {
      const entry = { head_: head, json_: json2, bytes_: bytes(json2), state_: WAITING };
      queue.entries_.push(entry);
      queue.waiting_++;
      queue.waitingBytes_ += entry.bytes_;
      queue.touch_();
    },
    setState_(entry, state) {
      if (entry.state_ === state || entry.state_ === GONE) return;
      const change = (state === WAITING) - (entry.state_ === WAITING);
      queue.waiting_ += change;
      queue.waitingBytes_ += change * entry.bytes_;
      entry.state_ = state;
    },
    remove_(entries) {
      for (const entry of entries) queue.setState_(entry, GONE);
      queue.entries_ = queue.entries_.filter((entry) => entry.state_ !== GONE);
      queue.touch_();
    },
    clear_() {
      queue.remove_(queue.entries_);
      queue.save_();
    },
    load_(head) {
      const stored = readStored(local, head.key_);
      if (stored) for (const action of stored.a) queue.push_(head, JSON.stringify(action));
    },
    // Queues of other sessions of the study whose tab is gone: nothing wrote them for ORPHAN_MS.
    adopt_(prefix) {
      const mine = Array.from(heads, (head) => head.key_);
      for (const key of local.keys_()) {
        if (!key.startsWith(prefix) || mine.includes(key)) continue;
        const stored = readStored(local, key);
        if (!stored) local.delete_(key);
        else if (!(Date.now() - stored.t < ORPHAN_MS) && queue.entries_.length + stored.a.length <= maxActions) {
          const { study, participant, session, condition } = stored.h;
          const head = queue.head_({ study, participant, session, condition }, key, true);
          for (const action of stored.a) queue.push_(head, JSON.stringify(action));
        }
      }
    },
    // Changed: saved within 500 ms.
    touch_() {
      dirty = true;
      saveTimer = saveTimer || setTimeout(queue.save_, 500);
    },
    save_() {
      clearTimeout(saveTimer);
      saveTimer = 0;
      if (!dirty) return;
      dirty = false;
      onSave();
      const byHead = /* @__PURE__ */ new Map();
      for (const entry of queue.entries_) (byHead.get(entry.head_) || byHead.set(entry.head_, []).get(entry.head_)).push(entry.json_);
      for (const head of heads) {
        const actions = byHead.get(head);
        if (actions) local.set_(head.key_, '{"t":' + Date.now() + ',"h":' + JSON.stringify(head.fields_) + ',"a":[' + actions + "]}");
        else {
          local.delete_(head.key_);
          if (head.adopted_) heads.delete(head);
        }
      }
    }
  };
  return queue;
}

// src/transport.js
var KEEPALIVE = 6e4;
function transport(queue, options) {
  const { batch_: batch, retry_: retry, stats_: stats } = options;
  const overhead = bytes(options.context_) + 60;
  let requests = 0;
  let retryTimer = 0;
  let delayTimer = 0;
  let dueAt = 0;
  let attempt = 0;
  let halves = [];
  let flushes = [];
  const sender = {
    sending_: false,
    added_() {
      if (queue.waiting_ === 1) dueAt = Date.now() + batch.maxDelayMs;
      sender.kick_();
    },
    // Sends a batch if one is due and nothing stops it.
    kick_() {
      const now = Date.now();
      if (!sender.sending_ || requests || retryTimer || !queue.waiting_) return;
      if (queue.waiting_ >= batch.maxActions || queue.waitingBytes_ >= batch.maxBytes || flushes.length || now >= dueAt) send(nextBatch(batch.maxBytes));
      else delayTimer = delayTimer || setTimeout(() => sender.kick_(delayTimer = 0), dueAt - now);
    },
    // Resolves the flushes whose entries all left the queue.
    settle_() {
      flushes = flushes.filter((flush) => flush.entries_.some((entry) => entry.state_ !== GONE) || flush.resolve_());
    },
    flush_() {
      sender.resendBeaconed_();
      const entries = queue.entries_.slice();
      return new Promise((resolve) => {
        flushes.push({ entries_: entries, resolve_: resolve });
        sender.settle_();
        sender.kick_();
      });
    },
    // Visible again: actions handed to a beacon go again, for an answer (the server dedupes by id).
    resendBeaconed_() {
      for (const entry of queue.entries_) if (entry.state_ === BEACONED) queue.setState_(entry, WAITING);
      sender.kick_();
    },
    unload_() {
      queue.save_();
      for (let entries; sender.sending_ && (entries = nextBatch(Math.min(KEEPALIVE, batch.maxBytes))).length; ) send(entries, true);
    }
  };
  function nextBatch(max) {
    for (let half; half = halves[0]; halves.shift()) {
      half = half.filter((entry) => entry.state_ === WAITING);
      if (half.length) return halves[0] = half;
    }
    const entries = [];
    let head, size;
    for (const entry of queue.entries_) {
      if (entry.state_ !== WAITING || head && entry.head_ !== head) continue;
      if (!head) size = bytes((head = entry.head_).bodyStart_) + overhead;
      else if (entries.length >= batch.maxActions || size + entry.bytes_ > max) break;
      entries.push(entry);
      size += entry.bytes_ + 1;
    }
    return entries;
  }
  function send(entries, final) {
    const body = entries[0].head_.bodyStart_ + ',"sent_at":' + Date.now() + ',"context":' + options.context_ + ',"actions":[' + entries.map((entry) => entry.json_) + "]}";
    queue.save_();
    for (const entry of entries) queue.setState_(entry, IN_FLIGHT);
    stats.sent += entries.length;
    requests++;
    new Promise((resolve) => resolve(options.post_(body, bytes(body) <= KEEPALIVE))).then(
      (response) => answered(entries, response, body, final),
      () => answered(entries, 0, body, final)
    );
  }
  async function answered(entries, response, body, final) {
    const status = response ? response.status : 0;
    let error;
    if (status < 200 || status > 299) {
      try {
        error = JSON.parse(await response.text());
      } catch {
      }
      if (!error || typeof error != "object") error = { status };
    }
    requests--;
    const inFlight = entries.filter((entry) => entry.state_ === IN_FLIGHT);
    const putBack = () => inFlight.forEach((entry) => queue.setState_(entry, WAITING));
    if (!status || status === 408 || status === 429 || status > 499) {
      if (final && !status && options.beacon_(body)) inFlight.forEach((entry) => queue.setState_(entry, BEACONED));
      else {
        putBack();
        stats.retries++;
        queue.touch_();
        backoff(response, error);
      }
    } else {
      if (halves[0] === entries) halves.shift();
      if (status < 300) {
        queue.remove_(inFlight);
        stats.acknowledged += inFlight.length;
        attempt = 0;
      } else if (status === 413 && entries.length > 1) {
        putBack();
        halves.unshift(entries.slice(0, entries.length / 2), entries.slice(entries.length / 2));
      } else {
        queue.remove_(inFlight);
        stats.rejected += inFlight.length;
        options.onError_(error);
      }
    }
    sender.settle_();
    sender.kick_();
  }
  function backoff(response, error) {
    const after = parseFloat(response && response.headers && response.headers.get("Retry-After")) || +error.retry_after_s;
    const cap = Math.min(retry.maxMs, retry.baseMs * 2 ** ++attempt);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => sender.kick_(retryTimer = 0), after > 0 ? after * 1e3 : retry.baseMs + Math.random() * (cap - retry.baseMs));
  }
  return sender;
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
    const head = queue.head_({ study, participant, session, condition }, storage.queueKey_);
    const sender = transport(queue, {
      context_: clientContext(win),
      batch_: withDefaults({ maxActions: 50, maxBytes: 48e3, maxDelayMs: 2e3 }, options.batch),
      retry_: withDefaults({ baseMs: 500, maxMs: 3e4 }, options.retry),
      stats_: stats,
      onError_(error) {
        try {
          options.onError(error);
        } catch {
        }
      },
      // text/plain keeps the request "simple": no CORS preflight, and the same body suits a beacon.
      post_: (body, keepalive) => win.fetch(endpoint, { method: "POST", body, headers: { "Content-Type": "text/plain" }, keepalive, credentials: "omit" }),
      beacon_: (body) => {
        try {
          return win.navigator.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }));
        } catch {
        }
      }
    });
    const consent = consentState(win, options, storage, queue, sender);
    if (!consent.off_) queue.load_(head);
    const subscribed = [];
    const makeAction = actionMaker(win, options, subscribed, storage.nextSeq_);
    let stopped;
    let removeListeners = [];
    const record = (type, event, target, data, isPointer) => {
      if (consent.off_ || stopped || consent.revoked_) return;
      if (queue.full_()) return stats.dropped++;
      queue.push_(head, makeAction(type, event, target, data, isPointer));
      sender.added_();
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
      grantConsent: consent.grant_,
      revokeConsent: consent.revoke_,
      flush: () => sender.flush_(),
      pending: () => queue.entries_.length,
      stats: () => ({ ...stats }),
      stop() {
        removeListeners.forEach((remove) => remove());
        removeListeners = [];
        stopped = true;
        queue.save_();
        return sender.flush_();
      }
    });
    if (consent.off_) return;
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
    const unload = () => sender.unload_();
    const onVisibility = () => (doc.visibilityState === "hidden" ? unload : sender.resendBeaconed_)();
    win.addEventListener("pagehide", unload);
    doc.addEventListener("visibilitychange", onVisibility);
    removeListeners.push(
      () => win.removeEventListener("pagehide", unload),
      () => doc.removeEventListener("visibilitychange", onVisibility)
    );
    if (options.consent !== "pending") consent.grant_();
  }
};
export {
  UserLogger
};
