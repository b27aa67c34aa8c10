// randomUUID exists only in secure contexts; a study app served over plain http still needs ids.
export function uuid(crypto = globalThis.crypto) {
  if (crypto && crypto.randomUUID) return crypto.randomUUID();
  const random = new Uint8Array(32);
  if (crypto && crypto.getRandomValues) crypto.getRandomValues(random);
  else random.forEach((_, i) => (random[i] = Math.random() * 256));
  let next = 0;
  // Version 4, variant 10xx: each 0 and 1 of the template becomes a random hex digit, each 8 one of 8 to b.
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) => (digit ^ (random[next++] & (15 >> (digit / 4)))).toString(16));
}
