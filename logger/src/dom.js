import { text } from './text.js';

// A short CSS path: up to the nearest element with an id, else up to (not including) body.
export function selector(element) {
  let path = '';
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const tag = node.tagName.toLowerCase();
    if (tag === 'body' || tag === 'html') {
      path = path || tag;
      break;
    }
    let position = 1;
    for (let sibling = node; (sibling = sibling.previousElementSibling); ) position++;
    const part = node.id
      ? tag + (/^[a-z][\w-]*$/i.test(node.id) ? '#' + node.id : '[id=' + JSON.stringify(node.id) + ']')
      : position > 1 || node.nextElementSibling ? tag + ':nth-child(' + position + ')' : tag;
    if (path.length + part.length > 1020) break;
    path = path ? part + ' > ' + path : part;
    if (node.id) break;
  }
  return text(path, 1024);
}

// target.attrs: at most 32, values of at most 1024 characters and 4096 in all (the action must stay well
// within the server's 16 KiB record), and the server refuses empty strings. wanted: true for every
// data-* attribute, else the list of names.
export function dataAttrs(element, wanted) {
  let attrs;
  let count = 0;
  let room = 4096;
  for (const { name, value } of (wanted && element.attributes) || []) {
    const kept = text(value, Math.min(1024, room));
    if (count < 32 && kept && name.startsWith('data-') && (wanted === true || wanted.includes(name)))
      ((attrs = attrs || {})[text(name)] = kept), count++, (room -= kept.length);
  }
  return attrs;
}

const hasAttribute = (element, name) => element.hasAttribute && element.hasAttribute(name);

export const isSecret = (element) => /^password$/i.test(element.type) || /password/i.test(element.autocomplete);

// Masked by default: the length only. A field opts in with data-ual-record-value (or, with
// inputValues 'all', opts out with data-ual-mask); a password never gives its value.
export function inputData(element, inputValues) {
  const value = 'value' in element ? String(element.value == null ? '' : element.value) : element.textContent || '';
  const data = { length: value.length };
  if (!isSecret(element) && (inputValues === 'all' ? !hasAttribute(element, 'data-ual-mask') : hasAttribute(element, 'data-ual-record-value'))) {
    if (/^(checkbox|radio)$/i.test(element.type)) data.checked = !!element.checked;
    else data.value = text(value, 4096);
  }
  return data;
}

const NAMED_KEYS = { Enter: 'enter', Backspace: 'backspace', Tab: 'tab', ' ': 'space' };

export const keyCategory = (key) =>
  NAMED_KEYS[key] ||
  (Array.from(key).length === 1
    ? /\p{L}/u.test(key) ? 'letter' : /\p{N}/u.test(key) ? 'digit' : /\s/.test(key) ? 'space' : 'punctuation'
    : /^Arrow/.test(key) ? 'arrow'
    : /^(Shift|Control|Alt|Meta|OS|Super|Hyper|Fn|Symbol|(Caps|Num|Scroll)Lock)/.test(key) ? 'modifier'
    : /^F\d\d?$/.test(key) ? 'function'
    : 'other');
