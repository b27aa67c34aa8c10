// The server refuses U+0000 (PostgreSQL cannot store it) and lone surrogates anywhere in a batch.
// The pattern also matches surrogate pairs, which keepPairs puts back.
const SURROGATES_AND_NUL = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff\0]/g;
const keepPairs = (match) => (match.length > 1 ? match : '');
const CONTROL = /[\0-\x1f\x7f-\x9f]/g;
const encoder = new TextEncoder();

export const bytes = (string) => encoder.encode(string).length;

export function text(value, max = 1e9) {
  const string = String(value).replace(SURROGATES_AND_NUL, keepPairs);
  return string.length > max ? string.slice(0, max).replace(SURROGATES_AND_NUL, keepPairs) : string;
}

export const printable = (value, max) => text(String(value).replace(CONTROL, ''), max);

// Same rule as the server's legacy mapping: v1 types are identifiers.
export function typeName(type) {
  const name = String(type).replace(/[^\w.:-]/g, '_');
  return (/^[a-z]/i.test(name) ? name : 'a' + name).slice(0, 64);
}

export function int(value, min = 0, max = 1e5) {
  const rounded = Math.round(value);
  return rounded >= min && rounded <= max ? rounded : undefined;
}

export const coord = (value) => typeof value == 'number' && Math.abs(value) <= 1e7;

// Free-form data as the server takes it: plain JSON (a round trip drops what JSON cannot say),
// strings and keys clean, containers at most 8 levels deep.
const cleanJson = (value, depth) =>
  typeof value == 'string'
    ? text(value)
    : !value || typeof value != 'object'
      ? value
      : depth > 8
        ? undefined
        : Array.isArray(value)
          ? value.map((item) => cleanJson(item, depth + 1))
          : Object.fromEntries(Object.entries(value).map(([key, item]) => [text(key), cleanJson(item, depth + 1)]));

export function clean(value) {
  try {
    return cleanJson(JSON.parse(JSON.stringify(value, (_key, item) => (typeof item == 'bigint' ? String(item) : item))), 1);
  } catch {}
}
