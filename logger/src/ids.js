// randomUUID exists only in secure contexts; a study app served over plain http still needs ids.
export function uuid(c = globalThis.crypto) {
  if (c && c.randomUUID) return c.randomUUID();
  const r = new Uint8Array(32);
  if (c && c.getRandomValues) c.getRandomValues(r);
  else r.forEach((_, i) => (r[i] = Math.random() * 256));
  let i = 0;
  // Version 4, variant 10xx.
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) => (d ^ (r[i++] & (15 >> (d / 4)))).toString(16));
}
