// Whether the logger may record, store and send. With respectDoNotTrack and Do Not Track or Global
// Privacy Control on, it never does (off_). Otherwise, until grant_(), actions are recorded into
// memory only; grant_() stores and sends them, with the queues that closed tabs of the study left
// behind; revoke_() drops what waits and records nothing more until grant_().
export function consentState(win, options, storage, queue, sender) {
  const navigator = win.navigator || {};
  const state = {
    off_: options.respectDoNotTrack && (navigator.doNotTrack == '1' || win.doNotTrack == '1' || navigator.globalPrivacyControl === true),
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
    },
  };
  return state;
}
