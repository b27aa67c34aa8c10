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

// An action's id is a UUID v7: the time in ms first, then v4's random bits. The tables' primary keys then
// grow at their end, where random ids would touch a page anywhere in the index for every row.
export function timeOrderedId(crypto, now = Date.now()) {
  const time = now.toString(16).padStart(12, '0');
  return time.slice(0, 8) + '-' + time.slice(8) + '-7' + uuid(crypto).slice(15);
}
