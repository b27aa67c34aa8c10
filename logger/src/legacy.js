// The seed's constructor, new UserLogger(url, maxActions, maxTime, attributesName, constantAttributes),
// as options.
export function legacyOptions(win, url, maxActions, maxDelayMs, dataAttributes, constantAttributes) {
  const parsed = new URL(url, win.location && win.location.href);
  const attributes = { ...constantAttributes };
  // The first of these attributes that is set; all of them leave data.attrs.
  const take = (...names) => {
    let value;
    for (const name of names) {
      value = value != null ? value : attributes[name];
      delete attributes[name];
    }
    return value;
  };
  return {
    endpoint: /\/analytics$/.test(parsed.pathname) ? parsed.origin + '/v1/batches' : parsed.href,
    study: take('study') || parsed.searchParams.get('study') || 'legacy',
    participant: take('user', 'participant'),
    condition: take('condition', 'condition_1'),
    attributes,
    dataAttributes,
    batch: { maxActions, maxDelayMs },
  };
}
