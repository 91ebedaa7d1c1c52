/*
 * The sample's dashboard: polls /api/dashboard every second and draws it. Plain JavaScript, no
 * build step, no libraries. Faults are switched with POST /api/faults/{preset}; breakers are moved
 * through the actuator's write operation, POST /actuator/circuitbreakers/{name}.
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

(() => {
  const POLL_MILLIS = 1000;
  const FETCH_TIMEOUT_MILLIS = 4000;
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

  const FAULT_DESCRIPTIONS = {
    'healthy': 'every request answered, quickly',
    'flaky': '20% fail with 500, 10% with 503',
    'retry-after': 'half answered 503 + Retry-After',
    'rate-limited': 'half answered 429 + Retry-After',
    'outage': 'every request fails with 503',
    'slow-tail': '3% take twenty times as long',
    'dropped-connections': 'a third dropped without answer',
  };

  const SERIES = [
    { key: 'calls', label: 'calls', cls: 'calls' },
    { key: 'retries', label: 'retries', cls: 'retries' },
    { key: 'fallbacks', label: 'fallbacks', cls: 'fallbacks' },
    { key: 'hedgesWon', label: 'hedges won', cls: 'hedges' },
    { key: 'rejected', label: 'rejected', cls: 'rejected' },
  ];

  const $ = (id) => document.getElementById(id);

  const page = {
    faultsLoaded: false,
    faultsLoading: false,
    breakerConfig: null,
    configLoading: false,
    cards: new Map(),
    lastStates: new Map(),
    changes: new Map(),
    lastView: null,
    timer: null,
    inFlight: false,
    refreshAgain: false,
    messageTimer: null,
  };

  // ---------------------------------------------------------------- fetching

  async function request(url, options) {
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MILLIS);
    try {
      const response = await fetch(url, Object.assign({ signal: abort.signal, cache: 'no-store' }, options || {}));
      const text = await response.text();
      let body = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch (notJson) {
          body = text;
        }
      }
      if (!response.ok) {
        const detail = body && typeof body === 'object' ? (body.error || body.message || body.detail) : body;
        throw new Error(response.status + (detail ? ': ' + detail : ''));
      }
      return body;
    } finally {
      clearTimeout(timeout);
    }
  }

  function postJson(url, body) {
    return request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** One poll; the next is scheduled when this one is over, so polls never pile up. */
  async function poll() {
    clearTimeout(page.timer);
    if (page.inFlight) {
      page.refreshAgain = true;
      return;
    }
    page.inFlight = true;
    try {
      const view = await request('api/dashboard');
      connected(true);
      render(view);
      if (!page.faultsLoaded) {
        loadFaults();
      }
      if (!page.breakerConfig) {
        loadBreakerConfig();
      }
    } catch (failed) {
      connected(false);
    } finally {
      page.inFlight = false;
      if (page.refreshAgain) {
        page.refreshAgain = false;
        page.timer = setTimeout(poll, 0);
      } else {
        page.timer = setTimeout(poll, POLL_MILLIS);
      }
    }
  }

  async function loadFaults() {
    if (page.faultsLoading) {
      return;
    }
    page.faultsLoading = true;
    try {
      const presets = await request('api/faults');
      buildFaultButtons(Array.isArray(presets) ? presets : []);
      page.faultsLoaded = true;
      if (page.lastView) {
        renderFaults(page.lastView.faults);
      }
    } catch (failed) {
      // tried again at the next poll
    } finally {
      page.faultsLoading = false;
    }
  }

  /** The breakers' thresholds, for the markers on the rate bars; the page works without them. */
  async function loadBreakerConfig() {
    if (page.configLoading) {
      return;
    }
    page.configLoading = true;
    try {
      const config = await request('actuator/retryconfig');
      page.breakerConfig = (config && config.circuitBreakers) || {};
    } catch (failed) {
      page.breakerConfig = {};
    } finally {
      page.configLoading = false;
    }
  }

  function connected(ok) {
    const notice = $('connection');
    const updated = $('updated');
    document.body.classList.toggle('offline', !ok);
    updated.dataset.connected = String(ok);
    if (ok) {
      notice.hidden = true;
      updated.textContent = clock(Date.now());
    } else {
      const last = page.lastView ? ' Last update at ' + $('updated').textContent + '.' : '';
      notice.textContent = 'Disconnected from the app: still trying every second.' + last;
      notice.hidden = false;
      if (!page.lastView) {
        updated.textContent = 'no answer yet';
      }
    }
  }

  function say(text, kind) {
    const message = $('message');
    message.textContent = text;
    message.dataset.kind = kind || 'info';
    message.hidden = false;
    clearTimeout(page.messageTimer);
    page.messageTimer = setTimeout(() => { message.hidden = true; }, 6000);
  }

  // ---------------------------------------------------------------- rendering

  function render(view) {
    page.lastView = view;
    renderPhase(view.phase);
    renderFaults(view.faults);
    renderCounters(view.counters, view.timeline || []);
    renderBulkheads(view.bulkheads || {});
    renderLatency(view.latency, view.faults);
    renderBreakers(view.breakers || {}, view.timeline || []);
    renderTimeline(view.timeline || [], view.breakers || {});
  }

  function renderPhase(phase) {
    const pill = $('phase');
    const name = phase || 'manual';
    pill.textContent = name === 'manual' ? 'manual (demo off)' : name;
    pill.dataset.phase = name;
    document.querySelectorAll('#phases li').forEach((item) => {
      if (item.dataset.phase === name) {
        item.setAttribute('aria-current', 'step');
      } else {
        item.removeAttribute('aria-current');
      }
    });
    $('phases').classList.toggle('phases-off', name === 'manual');
    $('phase-note').textContent = name === 'manual'
        ? 'Demo traffic is off (--demo=false): the faults are yours to inject.'
        : 'The demo walks through these phases; a fault you inject lasts until the next one.';
  }

  function buildFaultButtons(presets) {
    const box = $('faults');
    box.textContent = '';
    presets.forEach((preset) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'fault';
      button.dataset.fault = preset;
      button.setAttribute('aria-pressed', 'false');
      const name = document.createElement('span');
      name.className = 'fault-name';
      name.textContent = preset;
      const hint = document.createElement('span');
      hint.className = 'fault-hint';
      hint.textContent = FAULT_DESCRIPTIONS[preset] || '';
      button.append(name, hint);
      button.addEventListener('click', () => inject(preset, button));
      box.appendChild(button);
    });
  }

  async function inject(preset, button) {
    if (button.getAttribute('aria-busy') === 'true') {
      return;
    }
    button.setAttribute('aria-busy', 'true');
    try {
      const faults = await postJson('api/faults/' + encodeURIComponent(preset));
      if (faults && page.lastView) {
        page.lastView.faults = faults;
        renderFaults(faults);
      }
    } catch (failed) {
      say('Could not inject "' + preset + '": ' + failed.message, 'error');
    } finally {
      button.removeAttribute('aria-busy');
      poll();
    }
  }

  function renderFaults(faults) {
    if (!faults) {
      return;
    }
    const active = $('active-fault');
    active.textContent = faults.preset;
    active.dataset.preset = faults.preset;
    document.querySelectorAll('#faults button[data-fault]').forEach((button) => {
      const on = button.dataset.fault === faults.preset;
      button.setAttribute('aria-pressed', String(on));
      button.classList.toggle('active', on);
    });
    const details = [];
    if (faults.outage) {
      details.push(['outage', 'every request 503']);
    }
    if (faults.errorRate > 0) {
      details.push(['500 errors', percent(faults.errorRate)]);
    }
    if (faults.retryAfterRate > 0) {
      details.push(['503 + Retry-After', percent(faults.retryAfterRate)]);
    }
    if (faults.rateLimitRate > 0) {
      details.push(['429 + Retry-After', percent(faults.rateLimitRate)]);
    }
    if (faults.dropRate > 0) {
      details.push(['dropped connections', percent(faults.dropRate)]);
    }
    if (faults.slowShare > 0) {
      details.push(['slow answers (20×)', percent(faults.slowShare)]);
    }
    if (details.length === 0) {
      details.push(['faults', 'none']);
    }
    const list = $('fault-details');
    const signature = JSON.stringify(details);
    if (list.dataset.signature !== signature) {
      list.dataset.signature = signature;
      list.textContent = '';
      details.forEach(([term, value]) => {
        const item = document.createElement('div');
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        item.append(dt, dd);
        list.appendChild(item);
      });
    }
  }

  function renderCounters(counters, timeline) {
    if (!counters) {
      return;
    }
    const last = timeline.length ? timeline[timeline.length - 1] : null;
    Object.keys(counters).forEach((key) => {
      const value = $('counter-' + key);
      if (!value) {
        return;
      }
      value.textContent = count(counters[key]);
      const delta = $('delta-' + key);
      if (last && typeof last[key] === 'number') {
        delta.textContent = '+' + count(last[key]) + ' in the last 5 s';
      } else {
        delta.textContent = key === 'budgetExhausted' ? 'retries refused by a budget'
          : key === 'timeouts' ? 'attempts past their time limit'
          : key === 'bulkheadRejected' ? 'calls with no permit in time' : '';
      }
      const tile = value.closest('.counter');
      tile.classList.toggle('counter-hot', key !== 'calls' && !!last && last[key] > 0);
      const spark = tile.querySelector('svg.spark');
      if (spark) {
        drawSparkline(spark, timeline.map((point) => point[key] || 0));
      }
    });
  }

  function renderBulkheads(bulkheads) {
    const names = Object.keys(bulkheads).filter((name) => name !== 'default');
    $('bulkhead-occupancy').textContent = names.length
      ? names.map((name) => name + ' ' + bulkheads[name].concurrentCalls + '/' + bulkheads[name].maxConcurrentCalls)
          .join(', ')
      : '–';
  }

  function drawSparkline(svg, values) {
    svg.textContent = '';
    if (values.length < 2) {
      return;
    }
    const max = Math.max(1, ...values);
    const step = 100 / (values.length - 1);
    const coords = values.map((v, i) => (i * step).toFixed(1) + ',' + (23 - (v / max) * 21).toFixed(1));
    svg.appendChild(el('polygon', { points: '0,24 ' + coords.join(' ') + ' 100,24', class: 'spark-area' }));
    svg.appendChild(el('polyline', { points: coords.join(' '), class: 'spark-line' }));
  }

  /** Where hedging earns its keep: the downstream answers three requests in a hundred twenty times slower. */
  const SLOW_TAIL = 'slow-tail';
  /** Fewer searches than this under a fault make too shaky a p99 to draw a conclusion from. */
  const ENOUGH_SEARCHES = 100;
  /** A hedged p99 below this share of the unhedged one is a clear gain, not noise. */
  const CLEAR_GAIN = 0.8;

  function renderLatency(latency, faults) {
    const phases = (latency && Array.isArray(latency.phases)) ? latency.phases : [];
    const current = faults ? faults.preset : null;
    const body = $('latency-phases');
    const signature = JSON.stringify(phases) + '|' + current;
    if (body.dataset.signature !== signature) {
      body.dataset.signature = signature;
      body.textContent = '';
      if (phases.length === 0) {
        const row = document.createElement('tr');
        row.className = 'latency-empty';
        const cell = document.createElement('td');
        cell.colSpan = 5;
        cell.className = 'muted';
        cell.textContent = 'No searches yet: the demo traffic makes them.';
        row.appendChild(cell);
        body.appendChild(row);
      }
      phases.forEach((phase) => body.appendChild(latencyRow(phase, phase.phase === current)));
    }
    renderVerdict(phases.find((phase) => phase.phase === SLOW_TAIL));
  }

  function latencyRow(phase, current) {
    const row = document.createElement('tr');
    row.dataset.phase = phase.phase;
    row.classList.toggle('current', current);
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = phase.phase;
    row.appendChild(name);
    // Bars compare the two sides of one row: a second's Retry-After wait elsewhere never dwarfs the slow tail.
    const max = Math.max(1, phase.hedgedP99, phase.unhedgedP99);
    [['hedgedP99', 'bar-hedged'], ['unhedgedP99', 'bar-unhedged']].forEach(([field, bar]) => {
      const cell = document.createElement('td');
      cell.dataset.field = field;
      cell.dataset.ms = String(phase[field]);
      const value = document.createElement('span');
      value.className = 'ms';
      value.textContent = millis(phase[field]);
      const track = document.createElement('span');
      track.className = 'bar ' + bar;
      const fill = document.createElement('span');
      fill.style.width = ((phase[field] / max) * 100).toFixed(1) + '%';
      track.appendChild(fill);
      cell.append(value, track);
      row.appendChild(cell);
    });
    const medians = document.createElement('td');
    medians.dataset.field = 'p50';
    medians.className = 'ms-small';
    medians.textContent = millis(phase.hedgedP50) + ' / ' + millis(phase.unhedgedP50);
    row.appendChild(medians);
    const extra = document.createElement('td');
    extra.dataset.field = 'hedges';
    extra.dataset.count = String(phase.hedges);
    extra.className = 'ms-small';
    extra.textContent = '+' + count(phase.hedges) + ' (' + share(phase.hedges, phase.searches) + ')';
    extra.title = count(phase.hedges) + ' hedges for ' + count(phase.searches) + ' searches';
    row.appendChild(extra);
    return row;
  }

  /** What the hedge saved and what it cost, in words, from the slow tail's own searches. */
  function renderVerdict(slow) {
    const verdict = $('latency-verdict');
    verdict.className = 'verdict';
    if (!slow || slow.searches < ENOUGH_SEARCHES) {
      verdict.dataset.verdict = 'waiting';
      verdict.textContent = 'Hedging pays off when a few answers are very slow: the slow-tail phase shows it'
          + (slow ? ' (' + count(slow.searches) + ' of ' + ENOUGH_SEARCHES + ' searches so far).'
            : '. The demo reaches it after healthy and flaky; with the demo off, inject slow-tail.');
      return;
    }
    const cost = count(slow.hedges) + ' extra request' + (slow.hedges === 1 ? '' : 's') + ' ('
        + share(slow.hedges, slow.searches) + ' more than without hedging, over ' + count(slow.searches) + ' searches)';
    if (slow.hedgedP99 < slow.unhedgedP99 * CLEAR_GAIN) {
      verdict.dataset.verdict = 'saves';
      verdict.textContent = 'In the slow tail, hedging cut p99 from ' + millis(slow.unhedgedP99) + ' to '
          + millis(slow.hedgedP99) + ' (' + Math.round((1 - slow.hedgedP99 / slow.unhedgedP99) * 100)
          + '% less) for ' + cost + '.';
      verdict.classList.add('verdict-good');
    } else {
      verdict.dataset.verdict = 'no-gain';
      verdict.textContent = 'In the slow tail, hedged p99 is ' + millis(slow.hedgedP99) + ' and unhedged '
          + millis(slow.unhedgedP99) + ': no clear gain yet, for ' + cost + '.';
    }
  }

  function share(part, whole) {
    if (!(whole > 0)) {
      return '0%';
    }
    const percent = (part / whole) * 100;
    return (percent > 0 && percent < 10 ? percent.toFixed(1) : Math.round(percent)) + '%';
  }

  // ---------------------------------------------------------------- breakers

  function renderBreakers(breakers, timeline) {
    const box = $('breakers');
    const names = Object.keys(breakers);
    page.cards.forEach((card, name) => {
      if (!(name in breakers)) {
        card.root.remove();
        page.cards.delete(name);
      }
    });
    names.forEach((name, index) => {
      let card = page.cards.get(name);
      if (!card) {
        card = buildBreakerCard(name);
        page.cards.set(name, card);
        page.changes.set(name, changesFromTimeline(name, timeline));
      }
      if (box.children[index] !== card.root) {
        // in the server's order; a card already in place is left alone, so its focused button stays focused
        box.insertBefore(card.root, box.children[index] || null);
      }
      updateBreakerCard(name, card, breakers[name], timeline);
    });
    $('breakers-empty').hidden = names.length > 0;
  }

  function buildBreakerCard(name) {
    const root = document.createElement('article');
    root.className = 'breaker';
    root.dataset.breaker = name;
    const titleId = 'breaker-title-' + name.replace(/[^A-Za-z0-9_-]/g, '_');
    root.setAttribute('aria-labelledby', titleId);

    const head = document.createElement('header');
    head.className = 'breaker-head';
    const title = document.createElement('h3');
    title.id = titleId;
    title.textContent = name;
    const badge = document.createElement('span');
    badge.className = 'state-badge';
    badge.dataset.role = 'state';
    head.append(title, badge);

    const since = document.createElement('p');
    since.className = 'since muted small';

    const rates = document.createElement('div');
    rates.className = 'rates';
    const failure = rateBar('Failure rate', 'failureRate');
    const slow = rateBar('Slow-call rate', 'slowCallRate');
    rates.append(failure.root, slow.root);

    const calls = document.createElement('dl');
    calls.className = 'calls';
    const callCells = {};
    [['bufferedCalls', 'buffered'], ['failedCalls', 'failed'], ['slowCalls', 'slow'],
      ['notPermittedCalls', 'not permitted']].forEach(([key, label]) => {
      const item = document.createElement('div');
      item.dataset.metric = key;
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = '–';
      item.append(dt, dd);
      calls.appendChild(item);
      callCells[key] = dd;
    });

    const changes = document.createElement('ol');
    changes.className = 'changes';
    changes.setAttribute('aria-label', 'Recent state changes of ' + name);

    const actions = document.createElement('div');
    actions.className = 'actions';
    actions.setAttribute('role', 'group');
    actions.setAttribute('aria-label', 'Move breaker ' + name);
    const buttons = {};
    STATES.forEach(({ state, label }) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.force = state;
      button.className = 'force state-' + state;
      button.textContent = label;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => force(name, state, actions));
      actions.appendChild(button);
      buttons[state] = button;
    });

    root.append(head, since, rates, calls, changes, actions);
    return { root, badge, since, failure, slow, callCells, changes, buttons };
  }

  function rateBar(label, key) {
    const root = document.createElement('div');
    root.className = 'rate';
    root.dataset.metric = key;
    const top = document.createElement('div');
    top.className = 'rate-top';
    const name = document.createElement('span');
    name.textContent = label;
    const value = document.createElement('span');
    value.className = 'rate-value';
    top.append(name, value);
    const track = document.createElement('div');
    track.className = 'rate-track';
    const fill = document.createElement('div');
    fill.className = 'rate-fill';
    const mark = document.createElement('div');
    mark.className = 'rate-threshold';
    mark.hidden = true;
    track.append(fill, mark);
    root.append(top, track);
    return { root, value, fill, mark };
  }

  function updateRate(bar, rate, threshold, minimumCalls) {
    if (rate < 0) {
      bar.value.textContent = minimumCalls ? 'needs ' + minimumCalls + ' calls' : 'not enough calls';
      bar.fill.style.width = '0%';
    } else {
      bar.value.textContent = rate.toFixed(rate < 10 && rate > 0 ? 1 : 0) + '%'
          + (threshold ? ' of ' + trimNumber(threshold) + '%' : '');
      bar.fill.style.width = Math.min(100, rate) + '%';
    }
    bar.root.classList.toggle('over', threshold > 0 && rate >= threshold);
    if (threshold > 0 && threshold < 100) {
      bar.mark.hidden = false;
      bar.mark.style.left = threshold + '%';
      bar.mark.title = 'threshold ' + trimNumber(threshold) + '%';
    } else {
      bar.mark.hidden = true;
    }
  }

  function updateBreakerCard(name, card, breaker, timeline) {
    const previous = page.lastStates.get(name);
    const state = breaker.state;
    if (previous && previous !== state) {
      const changes = page.changes.get(name) || [];
      changes.push({ time: Date.now(), from: previous, to: state });
      page.changes.set(name, changes.slice(-20));
      card.root.classList.remove('changed');
      void card.root.offsetWidth; // restarts the highlight animation
      card.root.classList.add('changed');
    }
    page.lastStates.set(name, state);

    card.root.dataset.state = state;
    STATES.forEach(({ state: s }) => card.root.classList.toggle('state-' + s, s === state));
    card.badge.textContent = state;
    card.badge.className = 'state-badge state-' + state;
    card.badge.title = STATE_TEXT[state] || state;

    const config = (page.breakerConfig && page.breakerConfig[name]) || null;
    updateRate(card.failure, breaker.failureRate, config ? config.failureRateThreshold : 0,
        config ? config.minimumCalls : 0);
    updateRate(card.slow, breaker.slowCallRate, config ? config.slowCallRateThreshold : 0,
        config ? config.minimumCalls : 0);
    Object.entries(card.callCells).forEach(([key, cell]) => {
      cell.textContent = count(breaker[key]);
    });

    Object.entries(card.buttons).forEach(([s, button]) => {
      button.setAttribute('aria-pressed', String(s === state));
    });

    const changes = page.changes.get(name) || [];
    const latest = changes.length ? changes[changes.length - 1] : null;
    card.since.textContent = sinceText(state, latest, timeline, config);

    const shown = changes.slice(-3).reverse();
    const signature = shown.map((c) => c.time + c.to).join('|');
    if (card.changes.dataset.signature !== signature) {
      card.changes.dataset.signature = signature;
      card.changes.textContent = '';
      shown.forEach((change) => {
        const item = document.createElement('li');
        const time = document.createElement('time');
        time.dateTime = new Date(change.time).toISOString();
        time.textContent = clock(change.time);
        const from = document.createElement('span');
        from.className = 'mini state-' + change.from;
        from.textContent = STATE_TEXT[change.from] || change.from;
        const to = document.createElement('span');
        to.className = 'mini state-' + change.to;
        to.textContent = STATE_TEXT[change.to] || change.to;
        item.append(time, ' ', from, ' → ', to);
        if (change.approximate) {
          item.title = 'seen on the timeline: within 5 s of this time';
        }
        card.changes.appendChild(item);
      });
    }
  }

  function sinceText(state, latest, timeline, config) {
    let text;
    if (latest && latest.to === state) {
      text = (STATE_TEXT[state] || state) + ' since ' + clock(latest.time);
    } else if (timeline.length * STEP_MILLIS >= WINDOW_MILLIS) {
      text = (STATE_TEXT[state] || state) + ' for 5 minutes or more';
    } else {
      text = (STATE_TEXT[state] || state) + ' since the app started';
    }
    if (config) {
      const span = String(config.window).toLowerCase() === 'time'
          ? config.windowSize + ' s window' : config.windowSize + '-call window';
      text += ' · ' + span + ', opens for ' + duration(config.openDuration);
    }
    return text;
  }

  /** The state changes visible between the timeline's points, when the page opens. */
  function changesFromTimeline(name, timeline) {
    const changes = [];
    for (let i = 1; i < timeline.length; i++) {
      const from = timeline[i - 1].breakers && timeline[i - 1].breakers[name];
      const to = timeline[i].breakers && timeline[i].breakers[name];
      if (from && to && from !== to) {
        changes.push({ time: timeline[i].time, from, to, approximate: true });
      }
    }
    return changes;
  }

  async function force(name, state, group) {
    if (group.getAttribute('aria-busy') === 'true') {
      return;
    }
    group.setAttribute('aria-busy', 'true');
    try {
      const answer = await postJson('actuator/circuitbreakers/' + encodeURIComponent(name), { state });
      const card = page.cards.get(name);
      if (card && answer && answer.state && page.lastView) {
        page.lastView.breakers[name] = answer;
        updateBreakerCard(name, card, answer, page.lastView.timeline || []);
      }
    } catch (failed) {
      say('Could not move breaker "' + name + '" to ' + state + ': ' + failed.message, 'error');
    } finally {
      group.removeAttribute('aria-busy');
      poll();
    }
  }

  // ---------------------------------------------------------------- timeline

  function renderTimeline(points, breakers) {
    const svg = $('timeline');
    const empty = $('timeline-empty');
    empty.hidden = points.length > 0;
    const names = Object.keys(breakers);
    const last = points[points.length - 1];
    const signature = points.length + '|' + (last ? last.time : '') + '|' + names.join(',');
    if (svg.dataset.signature === signature) {
      return;
    }
    svg.dataset.signature = signature;
    svg.textContent = '';

    const width = 1000;
    const left = 112;
    const right = 14;
    const plotWidth = width - left - right;
    const phaseTop = 6;
    const phaseHeight = 18;
    const trafficTop = phaseTop + phaseHeight + 16;
    const trafficHeight = 170;
    const bandTop = trafficTop + trafficHeight + 18;
    const bandHeight = 16;
    const bandGap = 6;
    const latencyTop = bandTop + names.length * (bandHeight + bandGap) + 26;
    const latencyHeight = 100;
    const axisTop = latencyTop + latencyHeight + 16;
    const height = axisTop + 14;
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);

    const defs = el('defs', {});
    const stripes = el('pattern', { id: 'forced-stripes', width: 8, height: 8, patternUnits: 'userSpaceOnUse',
      patternTransform: 'rotate(45)' });
    stripes.appendChild(el('rect', { width: 8, height: 8, class: 'fill-OPEN' }));
    stripes.appendChild(el('rect', { width: 4, height: 8, class: 'fill-FORCED_OPEN-dark' }));
    defs.appendChild(stripes);
    svg.appendChild(defs);

    const end = points.length ? points[points.length - 1].time : Date.now();
    const start = end - WINDOW_MILLIS;
    const x = (time) => left + ((time - start) / WINDOW_MILLIS) * plotWidth;

    // minute grid and labels
    for (let m = 0; m <= 5; m++) {
      const gx = x(start + m * 60000);
      svg.appendChild(el('line', { x1: gx, x2: gx, y1: trafficTop, y2: latencyTop + latencyHeight, class: 'grid' }));
      svg.appendChild(text(gx, axisTop + 8, m === 5 ? 'now' : '−' + (5 - m) + ' min',
          { class: 'axis', 'text-anchor': m === 0 ? 'start' : m === 5 ? 'end' : 'middle' }));
    }

    // demo phases along the top
    svg.appendChild(text(left - 10, phaseTop + 13, 'phase', { class: 'row-label', 'text-anchor': 'end' }));
    runs(points, (p) => p.phase).forEach((run) => {
      const x0 = Math.max(left, x(run.from - STEP_MILLIS));
      const x1 = x(run.to);
      svg.appendChild(el('rect', { x: x0, y: phaseTop, width: Math.max(1, x1 - x0), height: phaseHeight, rx: 3,
        class: 'phase-band phase-' + run.value }));
      if (x1 - x0 > 56) {
        svg.appendChild(text(x0 + 6, phaseTop + 13, run.value, { class: 'phase-label' }));
      }
    });

    // traffic per step
    const trafficMax = niceMax(Math.max(1, ...points.flatMap((p) => SERIES.map((s) => p[s.key] || 0))));
    const yTraffic = (v) => trafficTop + trafficHeight - (v / trafficMax) * trafficHeight;
    axis(svg, left, plotWidth, trafficTop, trafficHeight, trafficMax, yTraffic, 'events per 5 s', '');
    if (points.length) {
      const callsLine = points.map((p) => x(p.time) + ',' + yTraffic(p.calls || 0));
      svg.appendChild(el('polygon', {
        points: x(points[0].time) + ',' + yTraffic(0) + ' ' + callsLine.join(' ') + ' '
            + x(points[points.length - 1].time) + ',' + yTraffic(0),
        class: 'area-calls',
      }));
      SERIES.forEach((series) => {
        svg.appendChild(line(points, (p) => x(p.time), (p) => yTraffic(p[series.key] || 0), 'line line-' + series.cls));
      });
    }

    // breaker states
    names.forEach((name, i) => {
      const y = bandTop + i * (bandHeight + bandGap);
      svg.appendChild(text(left - 10, y + 12, name, { class: 'row-label', 'text-anchor': 'end' }));
      svg.appendChild(el('rect', { x: left, y, width: plotWidth, height: bandHeight, rx: 3, class: 'band-empty' }));
      runs(points, (p) => (p.breakers && p.breakers[name]) || 'UNKNOWN').forEach((run) => {
        const x0 = Math.max(left, x(run.from - STEP_MILLIS));
        const x1 = x(run.to);
        const rect = el('rect', { x: x0, y, width: Math.max(1, x1 - x0), height: bandHeight,
          class: 'band fill-' + run.value });
        if (run.value === 'FORCED_OPEN') {
          rect.setAttribute('fill', 'url(#forced-stripes)');
        }
        rect.appendChild(el('title', {}, name + ': ' + (STATE_TEXT[run.value] || run.value) + ', '
            + clock(run.from - STEP_MILLIS) + ' – ' + clock(run.to)));
        svg.appendChild(rect);
      });
    });

    // search p99 per step, hedged and not, on a log scale: the flaky phase's one-second Retry-After waits
    // and the slow tail's tens of milliseconds both stay readable
    const latencies = points.flatMap((p) => [p.hedgedP99 || 0, p.unhedgedP99 || 0]).filter((v) => v > 0);
    const decades = Math.max(2, Math.ceil(Math.log10(Math.max(10, ...latencies))));
    const yLatency = (v) => latencyTop + latencyHeight - (Math.log10(Math.max(1, v)) / decades) * latencyHeight;
    for (let d = 0; d <= decades; d++) {
      const v = Math.pow(10, d);
      svg.appendChild(el('line', { x1: left, x2: left + plotWidth, y1: yLatency(v), y2: yLatency(v),
        class: d === 0 ? 'baseline' : 'grid' }));
      svg.appendChild(text(left - 10, yLatency(v) + 4, (v >= 1000 ? v / 1000 + ' s' : v + ' ms'),
          { class: 'axis', 'text-anchor': 'end' }));
    }
    svg.appendChild(text(left + 8, latencyTop + 12, 'search latency p99 per 5 s (log scale)', { class: 'chart-title' }));
    gappedLines(points, (p) => p.unhedgedP99, x, yLatency, 'line line-unhedgedP99').forEach((l) => svg.appendChild(l));
    gappedLines(points, (p) => p.hedgedP99, x, yLatency, 'line line-hedgedP99').forEach((l) => svg.appendChild(l));

    // one hover target per step, with its numbers
    points.forEach((p) => {
      const x0 = Math.max(left, x(p.time - STEP_MILLIS));
      const target = el('rect', { x: x0, y: trafficTop, width: Math.max(1, x(p.time) - x0),
        height: latencyTop + latencyHeight - trafficTop, class: 'hover' });
      const states = names.map((n) => n + ' ' + (STATE_TEXT[p.breakers && p.breakers[n]] || '?')).join(', ');
      target.appendChild(el('title', {}, clock(p.time) + ' (' + p.phase + '): ' + p.calls + ' calls, '
          + p.retries + ' retries, ' + p.fallbacks + ' fallbacks, ' + p.hedgesWon + ' hedges won, '
          + p.rejected + ' rejected; p99 hedged ' + millis(p.hedgedP99) + ', unhedged ' + millis(p.unhedgedP99)
          + '; ' + states));
      svg.appendChild(target);
    });

    $('timeline-summary').textContent = last
        ? 'Latest 5 s: ' + last.calls + ' calls, ' + last.retries + ' retries, ' + last.fallbacks + ' fallbacks, '
            + last.hedgesWon + ' hedges won, ' + last.rejected + ' rejected.'
        : 'No points yet.';
  }

  function axis(svg, left, plotWidth, top, height, max, y, label, unit) {
    [0, max / 2, max].forEach((v) => {
      svg.appendChild(el('line', { x1: left, x2: left + plotWidth, y1: y(v), y2: y(v), class: v === 0 ? 'baseline' : 'grid' }));
      svg.appendChild(text(left - 10, y(v) + 4, trimNumber(v) + unit, { class: 'axis', 'text-anchor': 'end' }));
    });
    svg.appendChild(text(left + 8, top + 12, label, { class: 'chart-title' }));
  }

  /** Consecutive points with the same value, as {value, from, to} (times of the first and last point). */
  function runs(points, valueOf) {
    const result = [];
    points.forEach((p) => {
      const value = valueOf(p);
      const current = result[result.length - 1];
      if (current && current.value === value) {
        current.to = p.time;
      } else {
        result.push({ value, from: p.time, to: p.time });
      }
    });
    return result;
  }

  /** One polyline per run of steps that had searches: a step without any leaves a gap, not a drop to zero. */
  function gappedLines(points, valueOf, xOf, yOf, cls) {
    const lines = [];
    let run = [];
    points.concat([null]).forEach((p) => {
      if (p && valueOf(p) > 0) {
        run.push(p);
        return;
      }
      if (run.length === 1) {
        lines.push(el('circle', { cx: xOf(run[0].time).toFixed(1), cy: yOf(valueOf(run[0])).toFixed(1), r: 2,
          class: cls + ' dot' }));
      } else if (run.length > 1) {
        lines.push(line(run, (q) => xOf(q.time), (q) => yOf(valueOf(q)), cls));
      }
      run = [];
    });
    return lines;
  }

  function line(points, xOf, yOf, cls) {
    return el('polyline', { points: points.map((p) => xOf(p).toFixed(1) + ',' + yOf(p).toFixed(1)).join(' '),
      class: cls });
  }

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

  // ---------------------------------------------------------------- formatting

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

  // ---------------------------------------------------------------- start

  loadFaults();
  poll();
})();
