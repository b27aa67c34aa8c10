import { inputData, keyCategory, secret } from './dom.js';
import { text } from './text.js';

const OPTS = { capture: true, passive: true };

export const element = (t) => {
  if (t && t.nodeType === 3) t = t.parentElement;
  return t && t.nodeType === 1 ? t : undefined;
};

function pointerData(ev) {
  const d = { button: ev.button, buttons: ev.buttons };
  if (ev.pointerType) d.pointer_type = ev.pointerType;
  if (ev.pressure != null) d.pressure = ev.pressure;
  if (ev.isPrimary === false) d.pointer_id = ev.pointerId;
  return d;
}

// DOM events → rec(type, event, element, data, isPointer). Listeners sit on window in the capture
// phase, so an app that stops propagation is still logged. Returns the functions that undo it all.
export function capture(w, o, rec) {
  const c = (kind) => o.capture[kind] !== false;
  const doc = w.document;
  const offs = [];
  const on = (types, fn, t = w) => {
    for (const type of types.split(' ')) {
      const f = (ev) => fn(ev, element(ev.target), type);
      t.addEventListener(type, f, OPTS);
      offs.push(() => t.removeEventListener(type, f, OPTS));
    }
  };

  for (const type of ['click', 'dblclick', 'contextmenu', 'pointerdown', 'pointerup']) {
    if (c(type)) on(type, (ev, el) => rec(type, ev, el, pointerData(ev), 1));
  }

  if (c('pointermove')) {
    const { sampleMs, coalesced } = o.pointer;
    let last = -Infinity;
    on('pointermove', (ev, el) => {
      if (sampleMs) {
        if (ev.timeStamp - last < sampleMs) return;
        last = ev.timeStamp;
      }
      const all = !sampleMs && coalesced && ev.getCoalescedEvents ? ev.getCoalescedEvents() : [];
      for (const e of all.length ? all : [ev]) rec('pointermove', e, el, pointerData(e), 1);
    });
  }

  if (c('wheel')) on('wheel', (ev, el) => rec('wheel', ev, el, { dx: ev.deltaX, dy: ev.deltaY, mode: ev.deltaMode, buttons: ev.buttons }, 1));

  if (c('scroll')) {
    on('scroll', (ev, el) =>
      rec('scroll', ev, el, el ? { scroll_x: el.scrollLeft, scroll_y: el.scrollTop } : { scroll_x: w.scrollX, scroll_y: w.scrollY }),
    );
  }

  if (c('keys') && o.keys !== 'none') {
    on('keydown keyup', (ev, el, type) => {
      const key = ev.key || '';
      const d = { category: keyCategory(key) };
      if (o.keys === 'full' && !(el && secret(el))) {
        d.key = text(key);
        d.code = text(ev.code || '');
      }
      if (ev.repeat) d.repeat = true;
      const mods = ['ctrl', 'alt', 'shift', 'meta'].filter((m) => ev[m + 'Key']);
      if (mods.length) d.modifiers = mods;
      rec(type, ev, el, d);
    });
  }

  if (c('input')) on('input change', (ev, el, type) => el && rec(type, ev, el, inputData(el, o.inputValues)));

  if (c('focus')) on('focusin focusout', (ev, el, type) => rec(type === 'focusin' ? 'focus' : 'blur', ev, el));

  if (c('visibility')) on('visibilitychange', (ev) => rec('visibility', ev, undefined, { state: doc.visibilityState }), doc);

  if (c('resize')) on('resize', (ev) => rec('resize', ev, undefined, { vw: w.innerWidth, vh: w.innerHeight }));

  if (c('navigation')) {
    let last = w.location.href;
    const nav = (ev, _, via) => {
      const to = w.location.href;
      if (to !== last) rec('navigate', ev, undefined, { from: text(last, 4096), to: text(to, 4096), via });
      last = to;
    };
    const h = w.history;
    for (const m of ['pushState', 'replaceState']) {
      const orig = h[m];
      const wrapped = function (...a) {
        const r = orig.apply(this, a);
        nav(null, 0, m);
        return r;
      };
      h[m] = wrapped;
      offs.push(() => {
        if (h[m] === wrapped) h[m] = orig;
      });
    }
    on('popstate hashchange', nav);
  }

  if (c('page')) {
    rec('page_load');
    on('pagehide', (ev) => rec('page_unload', ev, undefined, { persisted: !!ev.persisted }));
  }

  return offs;
}
