import { dataAttrs, selector } from './dom.js';
import { timeOrderedId } from './ids.js';
import { bytes, clean, coord, int, text } from './text.js';

// Over ~12 KB of UTF-8 leaves too little of the server's 16 KiB record for the envelope (a long user agent).
const tooBig = (json) => json.length > 4e3 && bytes(json) > 12e3;

// Returns makeAction(type, event, element, data, isPointer): one v1 action as the JSON text that is
// queued and sent. The event gives the time and, for a pointer action, the coordinates; subscribed
// holds the selectors of subscribeObject.
export function actionMaker(win, options, subscribed, nextSeq) {
  const attributes = options.attributes && Object.keys(options.attributes).length ? clean(options.attributes) : 0;
  const wanted = options.dataAttributes;
  const attributeNames = wanted === false ? 0 : Array.isArray(wanted) ? wanted.map((name) => (/^data-/.test(name) ? name : 'data-' + name)) : true;

  return (type, event, element, data = {}, isPointer) => {
    const performance = win.performance;
    const origin = performance.timeOrigin;
    const stamp = event && event.timeStamp;
    // Old browsers give event.timeStamp in epoch ms rather than since timeOrigin.
    const sinceOrigin = stamp > 1e12 ? stamp - origin : stamp > 0 ? stamp : performance.now();
    const action = {
      id: timeOrderedId(win.crypto),
      seq: 0,
      type,
      t: Math.round(origin + sinceOrigin),
      t_mono: Math.max(0, sinceOrigin),
      url: text(win.location.href, 4096),
      vw: int(win.innerWidth),
      vh: int(win.innerHeight),
    };
    if (isPointer && coord(event.clientX) && coord(event.clientY)) {
      action.x = event.clientX;
      action.y = event.clientY;
      for (const field of ['page_x', 'page_y', 'screen_x', 'screen_y']) {
        const value = event[field.replace('_x', 'X').replace('_y', 'Y')];
        if (coord(value)) action[field] = value;
      }
    }
    if (element) {
      const target = (action.target = {});
      if (element.id) target.id = text(element.id, 256);
      if ((target.selector = selector(element)) === '') delete target.selector;
      target.attrs = dataAttrs(element, attributeNames);
    }
    if (attributes) data.attrs = attributes;
    if (element && (isPointer || /^(input|change)$/.test(type))) {
      const inside = subscribed.find((selector) => {
        try {
          return element.closest(selector);
        } catch {}
      });
      if (inside) data.subscribed = inside;
    }
    if (Object.keys(data).length) action.data = clean(data);
    action.seq = nextSeq();
    // The server refuses a batch whose action makes a Kafka record over 16 KiB, and the batch would be
    // split down to this action and dropped: give up the data-* attributes, then the data, first.
    let json = JSON.stringify(action);
    if (tooBig(json) && action.target) delete action.target.attrs, (json = JSON.stringify(action));
    if (tooBig(json)) (action.data = { truncated: true }), (json = JSON.stringify(action));
    return json;
  };
}
