import { text } from './text.js';

// A short CSS path: up to the nearest element with an id, else up to (not including) body.
export function selector(el) {
  let s = '';
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const tag = e.tagName.toLowerCase();
    if (tag === 'body' || tag === 'html') {
      s = s || tag;
      break;
    }
    let i = 1;
    for (let p = e; (p = p.previousElementSibling); ) i++;
    const part = e.id
      ? tag + (/^[a-z][\w-]*$/i.test(e.id) ? '#' + e.id : '[id=' + JSON.stringify(e.id) + ']')
      : i > 1 || e.nextElementSibling ? tag + ':nth-child(' + i + ')' : tag;
    if (s.length + part.length > 1020) break;
    s = s ? part + ' > ' + s : part;
    if (e.id) break;
  }
  return text(s, 1024);
}

// target.attrs: at most 32, values of at most 1024 characters and 4096 in all (the action must stay well
// within the server's 16 KiB record), and the server refuses empty strings.
export function dataAttrs(el, which) {
  let o;
  let n = 0;
  let room = 4096;
  for (const { name, value } of (which && el.attributes) || []) {
    const v = text(value, Math.min(1024, room));
    if (n < 32 && v && name.startsWith('data-') && (which === true || which.includes(name)))
      ((o = o || {})[text(name)] = v), n++, (room -= v.length);
  }
  return o;
}

const has = (el, a) => el.hasAttribute && el.hasAttribute(a);

export const secret = (el) => /^password$/i.test(el.type) || /password/i.test(el.autocomplete);

// Masked by default: the length only. A field opts in with data-ual-record-value (or, with
// inputValues 'all', opts out with data-ual-mask); a password never gives its value.
export function inputData(el, mode) {
  const v = 'value' in el ? String(el.value == null ? '' : el.value) : el.textContent || '';
  const d = { length: v.length };
  if (!secret(el) && (mode === 'all' ? !has(el, 'data-ual-mask') : has(el, 'data-ual-record-value'))) {
    if (/^(checkbox|radio)$/i.test(el.type)) d.checked = !!el.checked;
    else d.value = text(v, 4096);
  }
  return d;
}

const NAMED = { Enter: 'enter', Backspace: 'backspace', Tab: 'tab', ' ': 'space' };

export const keyCategory = (k) =>
  NAMED[k] ||
  (Array.from(k).length === 1
    ? /\p{L}/u.test(k) ? 'letter' : /\p{N}/u.test(k) ? 'digit' : /\s/.test(k) ? 'space' : 'punctuation'
    : /^Arrow/.test(k) ? 'arrow'
    : /^(Shift|Control|Alt|Meta|OS|Super|Hyper|Fn|Symbol|(Caps|Num|Scroll)Lock)/.test(k) ? 'modifier'
    : /^F\d\d?$/.test(k) ? 'function'
    : 'other');
