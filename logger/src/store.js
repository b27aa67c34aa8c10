import { uuid } from './ids.js';
import { bytes, printable } from './text.js';

// fn, but returning undefined where it throws.
const guard =
  (fn) =>
  (...args) => {
    try {
      return fn(...args);
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

// The states of a queued entry. It stays stored until the server acknowledged it or refused it for
// good; a beacon gets no answer, so a beaconed entry is sent again for one.
export const WAITING = 0;
export const IN_FLIGHT = 1;
export const BEACONED = 2;
export const GONE = -1;

// A stored queue is {"t": when written, "h": its batch fields, "a": its actions}.
const readStored = (local, key) => {
  const stored = guard(JSON.parse)(local.get_(key));
  return stored && stored.h && Array.isArray(stored.a) ? stored : null;
};

// The persisted queue of actions, bounded by maxActions, of this session and of those it adopted.
export function persistedQueue(local, maxActions, onSave) {
  const heads = new Set();
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

    push_(head, json) {
      const entry = { head_: head, json_: json, bytes_: bytes(json), state_: WAITING };
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
      const byHead = new Map();
      for (const entry of queue.entries_) (byHead.get(entry.head_) || byHead.set(entry.head_, []).get(entry.head_)).push(entry.json_);
      for (const head of heads) {
        const actions = byHead.get(head);
        if (actions) local.set_(head.key_, '{"t":' + Date.now() + ',"h":' + JSON.stringify(head.fields_) + ',"a":[' + actions + ']}');
        else {
          local.delete_(head.key_);
          if (head.adopted_) heads.delete(head);
        }
      }
    },
  };
  return queue;
}
