import { bytes } from './text.js';

// Browsers refuse keepalive bodies over 64 KiB (counted over all keepalive requests in flight).
const KEEPALIVE = 60000;

// Batches by count, bytes and time with one request in flight, except the flush when the page hides:
// that one sends everything still waiting at once, because a hidden page may be killed without warning.
// o: { post(body, keepalive), beacon(body), ctx, batch, retry, stats, onError }
export function transport(q, o) {
  const { batch, retry, stats } = o;
  const extra = bytes(o.ctx) + 60;
  let busy = 0;
  let wait = 0;
  let timer = 0;
  let due = 0;
  let attempt = 0;
  let forced = []; // halves of a batch refused with 413, sent before anything else
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
      else timer = timer || setTimeout(() => t.kick((timer = 0)), due - now);
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
    },
  };

  function pick(max) {
    for (let f; (f = forced[0]); forced.shift()) {
      f = f.filter((e) => !e.s);
      if (f.length) return (forced[0] = f);
    }
    const out = [];
    let h, size;
    for (const e of q.items) {
      if (e.s || (h && e.h !== h)) continue;
      if (!h) size = bytes((h = e.h).b) + extra;
      else if (out.length >= batch.maxActions || size + e.n > max) break;
      out.push(e);
      size += e.n + 1;
    }
    return out;
  }

  function send(g, final) {
    const body = g[0].h.b + ',"sent_at":' + Date.now() + ',"context":' + o.ctx + ',"actions":[' + g.map((e) => e.j) + ']}';
    // Stored first (queue and seq), so a reload can neither lose these actions nor reuse their seq.
    q.save();
    for (const e of g) q.set(e, 1);
    stats.sent += g.length;
    busy++;
    new Promise((r) => r(o.post(body, bytes(body) <= KEEPALIVE))).then(
      (r) => done(g, r, body, final),
      () => done(g, 0, body, final),
    );
  }

  async function done(g, r, body, final) {
    const st = r ? r.status : 0;
    let err;
    if (st < 200 || st > 299) {
      try {
        err = JSON.parse(await r.text());
      } catch {}
      if (!err || typeof err != 'object') err = { status: st };
    }
    busy--;
    const live = g.filter((e) => e.s === 1);
    const back = () => live.forEach((e) => q.set(e, 0));
    if (!st || st === 408 || st === 429 || st > 499) {
      // Failed while the page was going away: a beacon is the last chance, and it is kept until an answer.
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

  // Full jitter between baseMs and an exponential cap; the server's Retry-After wins when readable
  // (the header, or retry_after_s in the 503 body when CORS hides the header).
  function backoff(r, err) {
    const after = parseFloat(r && r.headers && r.headers.get('Retry-After')) || +err.retry_after_s;
    const cap = Math.min(retry.maxMs, retry.baseMs * 2 ** ++attempt);
    clearTimeout(wait);
    wait = setTimeout(() => t.kick((wait = 0)), after > 0 ? after * 1000 : retry.baseMs + Math.random() * (cap - retry.baseMs));
  }

  return t;
}
