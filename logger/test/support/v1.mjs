// The server's v1 rules (model/.../BatchParser.java, ActionReader.java, JsonFields.java) in JavaScript,
// so the tests can hold every batch the logger sends against the contract. Throws on the first breach.
const STUDY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SESSION = /^[A-Za-z0-9._:-]{1,128}$/;
const TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const PRINTABLE = /^[^\x00-\x1f\x7f]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MAX_EPOCH_MS = 253402300799999;

const BATCH = ['study', 'participant', 'session', 'condition', 'sent_at', 'context', 'actions'];
const ACTION = ['id', 'seq', 'type', 't', 't_mono', 'url', 'x', 'y', 'page_x', 'page_y', 'screen_x', 'screen_y', 'vw', 'vh', 'target', 'data'];
const TARGET = ['id', 'selector', 'attrs'];
const CONTEXT = ['user_agent', 'screen_w', 'screen_h', 'dpr', 'language', 'timezone', 'tz_offset_min'];

const fail = (path, msg) => {
  throw new Error(`${path}: ${msg}`);
};
const isObject = (v) => v !== null && typeof v == 'object' && !Array.isArray(v);

function checkText(s, path) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) fail(path, 'contains U+0000');
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) i++;
      else fail(path, 'contains a lone surrogate');
    } else if (c >= 0xdc00 && c <= 0xdfff) fail(path, 'contains a lone surrogate');
  }
}

function object(v, path, known) {
  if (!isObject(v)) fail(path, 'must be a JSON object');
  for (const k of Object.keys(v)) if (!known.includes(k)) fail(`${path}.${k}`, 'unknown field');
  return v;
}

function string(o, k, path, { required, max, format } = {}) {
  const v = o[k];
  if (v == null) return required ? fail(`${path}.${k}`, 'is required') : undefined;
  if (typeof v != 'string') fail(`${path}.${k}`, 'must be a string');
  if (v === '') fail(`${path}.${k}`, 'must not be empty');
  if (v.length > max) fail(`${path}.${k}`, `is longer than ${max}`);
  checkText(v, `${path}.${k}`);
  if (format && !format.test(v)) fail(`${path}.${k}`, `must match ${format}`);
  return v;
}

function integer(o, k, path, min, max, required) {
  const v = o[k];
  if (v == null) return required ? fail(`${path}.${k}`, 'is required') : undefined;
  if (!Number.isInteger(v)) fail(`${path}.${k}`, 'must be an integer');
  if (v < min || v > max) fail(`${path}.${k}`, `must be between ${min} and ${max}`);
  return v;
}

function number(o, k, path, min, max) {
  const v = o[k];
  if (v == null) return;
  if (typeof v != 'number' || !Number.isFinite(v) || v < min || v > max) fail(`${path}.${k}`, `must be a finite number in ${min}..${max}`);
  return v;
}

function freeForm(v, path, depth) {
  if ((Array.isArray(v) || isObject(v)) && depth > 8) fail(path, 'is nested deeper than 8 levels');
  if (typeof v == 'string') checkText(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => freeForm(x, `${path}[${i}]`, depth + 1));
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      checkText(k, `${path}.${k}`);
      freeForm(x, `${path}.${k}`, depth + 1);
    }
  } else if (typeof v == 'number' && !Number.isFinite(v)) fail(path, 'must be a finite number');
}

function action(a, path) {
  object(a, path, ACTION);
  string(a, 'id', path, { required: true, max: 36, format: UUID });
  integer(a, 'seq', path, 0, 2 ** 53, true);
  string(a, 'type', path, { required: true, max: 64, format: TYPE });
  integer(a, 't', path, 0, MAX_EPOCH_MS, true);
  number(a, 't_mono', path, 0, 1e12);
  string(a, 'url', path, { max: 4096 });
  for (const k of ['x', 'y', 'page_x', 'page_y', 'screen_x', 'screen_y']) number(a, k, path, -1e7, 1e7);
  integer(a, 'vw', path, 0, 100000);
  integer(a, 'vh', path, 0, 100000);
  if ((a.x == null) !== (a.y == null)) fail(path, 'x and y must be given together');
  if (a.target != null) {
    const t = object(a.target, `${path}.target`, TARGET);
    string(t, 'id', `${path}.target`, { max: 256 });
    string(t, 'selector', `${path}.target`, { max: 1024 });
    if (t.attrs != null) {
      if (!isObject(t.attrs)) fail(`${path}.target.attrs`, 'must be a JSON object');
      if (Object.keys(t.attrs).length > 32) fail(`${path}.target.attrs`, 'has more than 32 entries');
      for (const k of Object.keys(t.attrs)) {
        checkText(k, `${path}.target.attrs.${k}`);
        string(t.attrs, k, `${path}.target.attrs`, { max: 1024 });
      }
    }
  }
  if (a.data != null) {
    if (!isObject(a.data)) fail(`${path}.data`, 'must be a JSON object');
    freeForm(a.data, `${path}.data`, 1);
  }
}

// body: the request body text. Returns the parsed batch.
export function validateBatch(body) {
  const b = object(JSON.parse(body), '', BATCH);
  string(b, 'study', '', { required: true, max: 64, format: STUDY });
  string(b, 'participant', '', { required: true, max: 128, format: PRINTABLE });
  string(b, 'session', '', { required: true, max: 128, format: SESSION });
  string(b, 'condition', '', { max: 128, format: PRINTABLE });
  integer(b, 'sent_at', '', 0, MAX_EPOCH_MS, true);
  if (b.context != null) {
    const c = object(b.context, 'context', CONTEXT);
    string(c, 'user_agent', 'context', { max: 1024 });
    integer(c, 'screen_w', 'context', 0, 100000);
    integer(c, 'screen_h', 'context', 0, 100000);
    number(c, 'dpr', 'context', 0, 64);
    string(c, 'language', 'context', { max: 64, format: PRINTABLE });
    string(c, 'timezone', 'context', { max: 64, format: PRINTABLE });
    integer(c, 'tz_offset_min', 'context', -1440, 1440);
  }
  if (!Array.isArray(b.actions)) fail('actions', 'must be an array');
  if (b.actions.length < 1 || b.actions.length > 2000) fail('actions', 'must hold 1..2000 actions');
  const ids = new Set();
  b.actions.forEach((a, i) => {
    action(a, `actions[${i}]`);
    if (ids.has(a.id.toLowerCase())) fail(`actions[${i}].id`, 'repeats an id');
    ids.add(a.id.toLowerCase());
  });
  return b;
}
