import { actionMaker } from './action.js';
import { asElement, capture } from './capture.js';
import { consentState } from './consent.js';
import { clientContext } from './context.js';
import { legacyOptions } from './legacy.js';
import { persistedQueue, studyStorage } from './store.js';
import { printable, typeName } from './text.js';
import { transport } from './transport.js';

// The defaults with the options that are set.
const withDefaults = (defaults, options) => {
  for (const name in options) if (options[name] != null) defaults[name] = options[name];
  return defaults;
};

export class UserLogger {
  static start(options) {
    return new UserLogger(options);
  }

  // new UserLogger(options), or the seed's new UserLogger(url, maxActions, maxTime, attributesName, constantAttributes)
  constructor(options, ...seedArguments) {
    const win = typeof window != 'undefined' ? window : globalThis;
    const doc = win.document;
    options = typeof options == 'string' ? legacyOptions(win, options, ...seedArguments) : options || {};
    const study = String(options.study || 'default');
    const endpoint = options.endpoint;
    if (!endpoint) throw Error('UserLogger: no endpoint');
    if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(study)) throw Error('UserLogger: bad study');
    if (options.session != null && !/^[\w.:-]{1,128}$/.test(options.session)) throw Error('UserLogger: bad session');

    const storage = studyStorage(win, study, options);
    const participant = (this.participant = storage.participant_);
    const session = (this.session = storage.session_);
    const condition = (options.condition != null && printable(options.condition, 128)) || undefined;
    const stats = { sent: 0, acknowledged: 0, dropped: 0, retries: 0, rejected: 0 };
    const queue = persistedQueue(storage.local_, withDefaults({ maxActions: 20000 }, options.queue).maxActions, storage.saveSeq_);
    const head = queue.head_({ study, participant, session, condition }, storage.queueKey_);
    const sender = transport(queue, {
      context_: clientContext(win),
      batch_: withDefaults({ maxActions: 50, maxBytes: 48000, maxDelayMs: 2000 }, options.batch),
      retry_: withDefaults({ baseMs: 500, maxMs: 30000 }, options.retry),
      stats_: stats,
      onError_(error) {
        try {
          options.onError(error);
        } catch {}
      },
      // text/plain keeps the request "simple": no CORS preflight, and the same body suits a beacon.
      post_: (body, keepalive) =>
        win.fetch(endpoint, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' }, keepalive, credentials: 'omit' }),
      beacon_: (body) => {
        try {
          return win.navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }));
        } catch {}
      },
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
        data = data == null ? {} : typeof data == 'object' && !Array.isArray(data) ? { ...data } : { value: data };
        if (name !== String(type)) data.name = String(type);
        record(name, null, asElement(target), data);
      },

      // Seed API: a custom action named `action`, with the event's pointer coordinates when it has them.
      addAction(action, event) {
        const name = typeName(action);
        record(name, event, event && asElement(event.target), name !== String(action) ? { name: String(action) } : {}, event);
      },

      // Seed API: click, pointer and input actions on elements inside `selector` carry data.subscribed.
      subscribeObject(selector) {
        subscribed.push(selector);
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
      },
    });

    if (consent.off_) return;
    removeListeners = capture(
      win,
      {
        capture_: options.capture || {},
        pointer_: withDefaults({ sampleMs: 0, coalesced: true }, options.pointer),
        keys_: options.keys || 'category',
        inputValues_: options.inputValues || 'masked',
      },
      record,
    );
    const unload = () => sender.unload_();
    const onVisibility = () => (doc.visibilityState === 'hidden' ? unload : sender.resendBeaconed_)();
    win.addEventListener('pagehide', unload);
    doc.addEventListener('visibilitychange', onVisibility);
    removeListeners.push(
      () => win.removeEventListener('pagehide', unload),
      () => doc.removeEventListener('visibilitychange', onVisibility),
    );
    if (options.consent !== 'pending') consent.grant_();
  }
}
