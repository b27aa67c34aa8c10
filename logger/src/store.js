const encoder = new TextEncoder();
export const bytes = (s) => encoder.encode(s).length;

const guard =
  (f) =>
  (...a) => {
    try {
      return f(...a);
    } catch {}
  };

// Storage may be missing, blocked (even reading the property throws) or full: every call is guarded
// and the logger carries on from memory. Writes wait for consent (`on`).
export function area(w, name) {
  let s;
  guard(() => (s = w[name]))();
  const a = {
    on: true,
    get: guard((k) => s.getItem(k)),
    set: guard((k, v) => a.on && s.setItem(k, v)),
    del: guard((k) => s.removeItem(k)),
    keys: () => guard(() => Array.from({ length: s.length }, (_, i) => s.key(i)))() || [],
  };
  return a;
}

const read = (ls, k) => {
  const r = guard(JSON.parse)(ls.get(k));
  return r && r.h && Array.isArray(r.a) ? r : null;
};

// The persisted queue. Entry states: 0 waiting, 1 in flight, 2 handed to a beacon (no answer will
// come), -1 gone. An entry stays stored until the server acknowledged it or refused it for good.
export function queue(ls, max, onsave) {
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
      const by = new Map();
      for (const e of q.items) (by.get(e.h) || by.set(e.h, []).get(e.h)).push(e.j);
      for (const h of heads) {
        const l = by.get(h);
        if (l) ls.set(h.k, '{"t":' + Date.now() + ',"h":' + JSON.stringify(h.m) + ',"a":[' + l + ']}');
        else {
          ls.del(h.k);
          if (h.adopted) heads.delete(h);
        }
      }
    },
  };
  return q;
}
