/*
 * What the dashboard's scripts share: the breaker states, the timeline's span, SVG helpers and how
 * numbers, times and durations are written. Loaded first, so it also sets up the page's error hook.
 */
'use strict';

/*
 * Every uncaught error and unhandled rejection on this page, for a person (shown in the message
 * bar) and for the browser test (read through window.__dashboardErrors).
 */
window.__dashboardErrors = [];
window.addEventListener('error', (event) => {
  window.__dashboardErrors.push(String(event.message || event.type) + ' at ' + (event.filename || '?') + ':'
      + (event.lineno || 0));
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason;
  window.__dashboardErrors.push('unhandled rejection: ' + (reason && reason.stack ? reason.stack : String(reason)));
});

window.RetryDashboard = (() => {
  const WINDOW_MILLIS = 5 * 60 * 1000;
  const STEP_MILLIS = 5000;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  const STATES = [
    { state: 'CLOSED', label: 'Close', text: 'closed' },
    { state: 'HALF_OPEN', label: 'Half-open', text: 'half-open' },
    { state: 'OPEN', label: 'Open', text: 'open' },
    { state: 'FORCED_OPEN', label: 'Force open', text: 'forced open' },
    { state: 'DISABLED', label: 'Disable', text: 'disabled' },
  ];
  const STATE_TEXT = Object.fromEntries(STATES.map((s) => [s.state, s.text]));

  function el(name, attributes, content) {
    const node = document.createElementNS(SVG_NS, name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, String(value)));
    if (content !== undefined) {
      node.textContent = content;
    }
    return node;
  }

  function text(x, y, content, attributes) {
    return el('text', Object.assign({ x, y }, attributes || {}), content);
  }

  function niceMax(value) {
    const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (const factor of [1, 2, 2.5, 5, 10]) {
      if (value <= factor * magnitude) {
        return factor * magnitude;
      }
    }
    return 10 * magnitude;
  }

  function count(value) {
    return typeof value === 'number' ? value.toLocaleString('en-US') : '–';
  }

  function percent(share) {
    return Math.round(share * 100) + '%';
  }

  function millis(ms) {
    if (!(ms > 0)) {
      return '–';
    }
    return (ms >= 100 ? Math.round(ms) : ms.toFixed(1)) + ' ms';
  }

  function trimNumber(value) {
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }

  function clock(millisSinceEpoch) {
    return new Date(millisSinceEpoch).toLocaleTimeString('en-GB', { hour12: false });
  }

  /** An ISO-8601 duration (PT10S) or a number of seconds, as people say it. */
  function duration(value) {
    if (typeof value === 'number') {
      return trimNumber(value) + ' s';
    }
    const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(value || ''));
    if (!match) {
      return String(value);
    }
    const seconds = (Number(match[1] || 0) * 3600) + (Number(match[2] || 0) * 60) + Number(match[3] || 0);
    return seconds >= 60 && seconds % 60 === 0 ? seconds / 60 + ' min' : trimNumber(seconds) + ' s';
  }

  return { WINDOW_MILLIS, STEP_MILLIS, STATES, STATE_TEXT, el, text, niceMax, count, percent, millis, trimNumber,
    clock, duration };
})();
