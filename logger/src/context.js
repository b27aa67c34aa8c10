import { int, printable } from './text.js';

// The batch's `context`: what the browser says about itself, as JSON text written into every batch.
export function clientContext(win) {
  const navigator = win.navigator || {};
  const screen = win.screen || {};
  const optional = (value, max) => (value && printable(value, max)) || undefined;
  let timezone;
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {}
  return JSON.stringify({
    user_agent: optional(navigator.userAgent, 1024),
    screen_w: int(screen.width),
    screen_h: int(screen.height),
    dpr: win.devicePixelRatio > 0 && win.devicePixelRatio <= 64 ? win.devicePixelRatio : undefined,
    language: optional(navigator.language, 64),
    timezone: optional(timezone, 64),
    tz_offset_min: int(new Date().getTimezoneOffset(), -1440, 1440),
  });
}
