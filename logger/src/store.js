import { uuid } from './ids.js';
import { bytes, printable } from './text.js';

const guard =
  (f) =>
  (...args) => {
    try {
      return f(...args);
    } catch {}
  };

// Storage may be missing, blocked (even reading the property throws) or full: every call is guarded
// and the logger carries on from memory. Writes wait for consent (`writable_`).
function storageArea(win, name) {
  let storage;
  guard(() => (storage = win[name]))();
  const area = {
    writable_: false,
    get_: guard((key) => storage.getItem(key)),
    set_: guard((key, value) => area.writable_ && storage.setItem(key, value)),
    delete_: guard((key) => storage.removeItem(key)),
    keys_: () => guard(() => Array.from({ length: storage.length }, (_, i) => storage.key(i)))() || [],
  };
  return area;
}

// What a study keeps in the browser: the participant in localStorage for later visits, the session
// and its last seq in sessionStorage for reloads of the tab, and the session's queue (below) in
// localStorage under queueKey_, next to those of the study's other sessions (queuePrefix_).
export function studyStorage(win, study, options) {
  const local = storageArea(win, 'localStorage');
  const tab = storageArea(win, 'sessionStorage');
  const participantKey = 'ual:p:' + study;
  const sessionKey = 'ual:s:' + study;
  const given = options.participant != null && printable(options.participant, 128);
  const participant = given || local.get_(participantKey) || uuid(win.crypto);
  const session = options.session || tab.get_(sessionKey) || uuid(win.crypto);
  const seqKey = 'ual:n:' + study + ':' + session;
  const queuePrefix = 'ual:q:' + study + ':';
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
      // Only a generated participant is remembered: a given one may be a different person next time.
      if (!given) local.set_(participantKey, participant);
      tab.set_(sessionKey, session);
    },
  };
  return storage;
}

// A tab that is still sending rewrites its stored queue at every retry; silence this long means the tab is gone.
const ORPHAN_MS = 300000;

const read = (ls, k) => {
  const r = guard(JSON.parse)(ls.get_(k));
  return r && r.h && Array.isArray(r.a) ? r : null;
};

// The persisted queue. Entry states: 0 waiting, 1 in flight, 2 handed to a beacon (no answer will
// come), -1 gone. An entry stays stored until the server acknowledged it or refused it for good.
export function persistedQueue(ls, max, onsave) {
  const heads = new Set();
  let dirty, tm;
  const q = {
    items: [],
    n: 0, // waiting entries
    b: 0, // and their bytes

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
      const d = (!s) - !e.s;
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
      const by = new Map();
      for (const e of q.items) (by.get(e.h) || by.set(e.h, []).get(e.h)).push(e.j);
      for (const h of heads) {
        const l = by.get(h);
        if (l) ls.set_(h.k, '{"t":' + Date.now() + ',"h":' + JSON.stringify(h.m) + ',"a":[' + l + ']}');
        else {
          ls.delete_(h.k);
          if (h.adopted) heads.delete(h);
        }
      }
    },
  };
  return q;
}
