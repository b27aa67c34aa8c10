import { BEACONED, GONE, IN_FLIGHT, WAITING } from './store.js';
import { bytes } from './text.js';

// Browsers refuse keepalive bodies over 64 KiB (counted over all keepalive requests in flight).
const KEEPALIVE = 60000;

// Batches by count, bytes and time with one request in flight, except the flush when the page hides:
// that one sends everything still waiting at once, because a hidden page may be killed without warning.
// options: { post_(body, keepalive), beacon_(body), context_, batch_, retry_, stats_, onError_ }
export function transport(queue, options) {
  const { batch_: batch, retry_: retry, stats_: stats } = options;
  const overhead = bytes(options.context_) + 60;
  let requests = 0;
  let retryTimer = 0;
  let delayTimer = 0;
  let dueAt = 0;
  let attempt = 0;
  let halves = []; // halves of a batch refused with 413, sent before anything else
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
      else delayTimer = delayTimer || setTimeout(() => sender.kick_((delayTimer = 0)), dueAt - now);
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
    },
  };

  // The oldest waiting entries of one head, within maxActions and max bytes of body.
  function nextBatch(max) {
    for (let half; (half = halves[0]); halves.shift()) {
      half = half.filter((entry) => entry.state_ === WAITING);
      if (half.length) return (halves[0] = half);
    }
    const entries = [];
    let head, size;
    for (const entry of queue.entries_) {
      if (entry.state_ !== WAITING || (head && entry.head_ !== head)) continue;
      if (!head) size = bytes((head = entry.head_).bodyStart_) + overhead;
      else if (entries.length >= batch.maxActions || size + entry.bytes_ > max) break;
      entries.push(entry);
      size += entry.bytes_ + 1;
    }
    return entries;
  }

  function send(entries, final) {
    const body = entries[0].head_.bodyStart_ + ',"sent_at":' + Date.now() + ',"context":' + options.context_ + ',"actions":[' + entries.map((entry) => entry.json_) + ']}';
    // Stored first (queue and seq), so a reload can neither lose these actions nor reuse their seq.
    queue.save_();
    for (const entry of entries) queue.setState_(entry, IN_FLIGHT);
    stats.sent += entries.length;
    requests++;
    new Promise((resolve) => resolve(options.post_(body, bytes(body) <= KEEPALIVE))).then(
      (response) => answered(entries, response, body, final),
      () => answered(entries, 0, body, final),
    );
  }

  async function answered(entries, response, body, final) {
    const status = response ? response.status : 0;
    let error;
    if (status < 200 || status > 299) {
      try {
        error = JSON.parse(await response.text());
      } catch {}
      if (!error || typeof error != 'object') error = { status };
    }
    requests--;
    const inFlight = entries.filter((entry) => entry.state_ === IN_FLIGHT);
    const putBack = () => inFlight.forEach((entry) => queue.setState_(entry, WAITING));
    if (!status || status === 408 || status === 429 || status > 499) {
      // Failed while the page was going away: a beacon is the last chance, and it is kept until an answer.
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

  // Full jitter between baseMs and an exponential cap; the server's Retry-After wins when readable
  // (the header, or retry_after_s in the 503 body when CORS hides the header).
  function backoff(response, error) {
    const after = parseFloat(response && response.headers && response.headers.get('Retry-After')) || +error.retry_after_s;
    const cap = Math.min(retry.maxMs, retry.baseMs * 2 ** ++attempt);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => sender.kick_((retryTimer = 0)), after > 0 ? after * 1000 : retry.baseMs + Math.random() * (cap - retry.baseMs));
  }

  return sender;
}
