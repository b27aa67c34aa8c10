import { inputData, isSecret, keyCategory } from './dom.js';
import { text } from './text.js';

const LISTENER_OPTIONS = { capture: true, passive: true };

// The element an event concerns: a text node stands for its parent, a document or window for none.
export const asElement = (node) => {
  if (node && node.nodeType === 3) node = node.parentElement;
  return node && node.nodeType === 1 ? node : undefined;
};

function pointerData(event) {
  const data = { button: event.button, buttons: event.buttons };
  if (event.pointerType) data.pointer_type = event.pointerType;
  if (event.pressure != null) data.pressure = event.pressure;
  if (event.isPrimary === false) data.pointer_id = event.pointerId;
  return data;
}

// DOM events → record(type, event, element, data, isPointer). Listeners sit on window in the capture
// phase, so an app that stops propagation is still logged. Returns the functions that undo it all.
// options: { capture_: kinds turned off, pointer_: { sampleMs, coalesced }, keys_, inputValues_ }
export function capture(win, options, record) {
  const enabled = (kind) => options.capture_[kind] !== false;
  const doc = win.document;
  const removers = [];
  const listen = (types, handler, target = win) => {
    for (const type of types.split(' ')) {
      const listener = (event) => handler(event, asElement(event.target), type);
      target.addEventListener(type, listener, LISTENER_OPTIONS);
      removers.push(() => target.removeEventListener(type, listener, LISTENER_OPTIONS));
    }
  };

  for (const type of ['click', 'dblclick', 'contextmenu', 'pointerdown', 'pointerup']) {
    if (enabled(type)) listen(type, (event, element) => record(type, event, element, pointerData(event), 1));
  }

  if (enabled('pointermove')) {
    const { sampleMs, coalesced } = options.pointer_;
    let lastSampleAt = -Infinity;
    listen('pointermove', (event, element) => {
      if (sampleMs) {
        if (event.timeStamp - lastSampleAt < sampleMs) return;
        lastSampleAt = event.timeStamp;
      }
      const samples = !sampleMs && coalesced && event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      for (const sample of samples.length ? samples : [event]) record('pointermove', sample, element, pointerData(sample), 1);
    });
  }

  if (enabled('wheel')) {
    listen('wheel', (event, element) =>
      record('wheel', event, element, { dx: event.deltaX, dy: event.deltaY, mode: event.deltaMode, buttons: event.buttons }, 1),
    );
  }

  if (enabled('scroll')) {
    listen('scroll', (event, element) =>
      record(
        'scroll',
        event,
        element,
        element ? { scroll_x: element.scrollLeft, scroll_y: element.scrollTop } : { scroll_x: win.scrollX, scroll_y: win.scrollY },
      ),
    );
  }

  if (enabled('keys') && options.keys_ !== 'none') {
    listen('keydown keyup', (event, element, type) => {
      const key = event.key || '';
      const data = { category: keyCategory(key) };
      if (options.keys_ === 'full' && !(element && isSecret(element))) {
        data.key = text(key);
        data.code = text(event.code || '');
      }
      if (event.repeat) data.repeat = true;
      const modifiers = ['ctrl', 'alt', 'shift', 'meta'].filter((modifier) => event[modifier + 'Key']);
      if (modifiers.length) data.modifiers = modifiers;
      record(type, event, element, data);
    });
  }

  if (enabled('input')) {
    listen('input change', (event, element, type) => element && record(type, event, element, inputData(element, options.inputValues_)));
  }

  if (enabled('focus')) listen('focusin focusout', (event, element, type) => record(type === 'focusin' ? 'focus' : 'blur', event, element));

  if (enabled('visibility')) listen('visibilitychange', (event) => record('visibility', event, undefined, { state: doc.visibilityState }), doc);

  if (enabled('resize')) listen('resize', (event) => record('resize', event, undefined, { vw: win.innerWidth, vh: win.innerHeight }));

  if (enabled('navigation')) {
    let lastHref = win.location.href;
    const navigated = (event, _element, via) => {
      const href = win.location.href;
      if (href !== lastHref) record('navigate', event, undefined, { from: text(lastHref, 4096), to: text(href, 4096), via });
      lastHref = href;
    };
    const history = win.history;
    for (const method of ['pushState', 'replaceState']) {
      const original = history[method];
      const wrapped = function (...args) {
        const result = original.apply(this, args);
        navigated(null, undefined, method);
        return result;
      };
      history[method] = wrapped;
      removers.push(() => {
        if (history[method] === wrapped) history[method] = original;
      });
    }
    listen('popstate hashchange', navigated);
  }

  if (enabled('page')) {
    record('page_load');
    listen('pagehide', (event) => record('page_unload', event, undefined, { persisted: !!event.persisted }));
  }

  return removers;
}
