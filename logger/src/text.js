// The server refuses U+0000 (PostgreSQL cannot store it) and lone surrogates anywhere in a batch.
const BAD = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff\0]/g;
const keepPairs = (m) => (m.length > 1 ? m : '');
const CONTROL = /[\0-\x1f\x7f-\x9f]/g;
const encoder = new TextEncoder();

export const bytes = (s) => encoder.encode(s).length;

export function text(s, max = 1e9) {
  s = String(s).replace(BAD, keepPairs);
  return s.length > max ? s.slice(0, max).replace(BAD, keepPairs) : s;
}

export const printable = (s, max) => text(String(s).replace(CONTROL, ''), max);

// Same rule as the server's legacy mapping: v1 types are identifiers.
export function typeName(t) {
  t = String(t).replace(/[^\w.:-]/g, '_');
  return (/^[a-z]/i.test(t) ? t : 'a' + t).slice(0, 64);
}

export function int(v, min = 0, max = 1e5) {
  v = Math.round(v);
  return v >= min && v <= max ? v : undefined;
}

export const coord = (v) => typeof v == 'number' && Math.abs(v) <= 1e7;

// Free-form data as the server takes it: plain JSON (a round trip drops what JSON cannot say),
// strings and keys clean, containers at most 8 levels deep.
const json = (v, d) =>
  typeof v == 'string'
    ? text(v)
    : !v || typeof v != 'object'
      ? v
      : d > 8
        ? undefined
        : Array.isArray(v)
          ? v.map((x) => json(x, d + 1))
          : Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), json(x, d + 1)]));

export function clean(v) {
  try {
    return json(JSON.parse(JSON.stringify(v, (k, x) => (typeof x == 'bigint' ? String(x) : x))), 1);
  } catch {}
}
