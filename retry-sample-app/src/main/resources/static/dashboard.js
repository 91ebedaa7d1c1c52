/*
 * The sample's dashboard: polls /api/dashboard every second and draws it. Plain JavaScript, no
 * build step, no libraries. Faults are switched with POST /api/faults/{preset}; breakers are moved
 * through the actuator's write operation, POST /actuator/circuitbreakers/{name}, and each breaker's
 * recent state changes are the transitions that GET /actuator/retryevents recorded, at the times the
 * app recorded them (without that endpoint, the changes the page itself saw between polls). Loaded after
 * dashboard-format.js, dashboard-hedging.js and dashboard-timeline.js, whose window.RetryDashboard
 * it draws with.
 */
'use strict';

(() => {
  const POLL_MILLIS = 1000;
  const FETCH_TIMEOUT_MILLIS = 4000;
  const { WINDOW_MILLIS, STEP_MILLIS, STATES, STATE_TEXT, el, count, percent, trimNumber, clock, duration,
    renderLatency, renderTimeline } = window.RetryDashboard;

  const FAULT_DESCRIPTIONS = {
    'healthy': 'every request answered, quickly',
    'flaky': '20% fail with 500, 10% with 503',
    'retry-after': 'half answered 503 + Retry-After',
    'rate-limited': 'half answered 429 + Retry-After',
    'outage': 'every request fails with 503',
    'slow-tail': '3% take twenty times as long',
    'dropped-connections': 'a third dropped without answer',
  };

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
    events: null,
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
      // The recent events are optional: a page without them falls back to the changes it saw itself.
      const [view, events] = await Promise.all([
        request('api/dashboard'),
        request('actuator/retryevents').catch(() => null),
      ]);
      page.events = events && typeof events === 'object' && events['circuit-breakers'] ? events : null;
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
    renderSelfInvocation(view.selfInvocation);
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

  // Restocking.restock called through this: retried only because the aspect is woven into it.
  function renderSelfInvocation(self) {
    if (!self) {
      return;
    }
    const tile = $('self-invocation');
    tile.dataset.calls = String(self.calls);
    tile.dataset.retries = String(self.retries);
    $('self-invocation-retries').textContent = count(self.retries);
    $('self-invocation-calls').textContent = count(self.calls) + ' calls of ' + self.method
      + ' through this, policy ' + self.policy;
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

    const changes = recordedTransitions(name) || page.changes.get(name) || [];
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

  /**
   * The transitions of breaker {@code name} that /actuator/retryevents recorded, oldest first, at the
   * times the app recorded them; null when the page has no events to read.
   */
  function recordedTransitions(name) {
    const breakers = page.events && page.events['circuit-breakers'];
    const events = breakers && breakers[name];
    if (!Array.isArray(events)) {
      return null;
    }
    return events
        .filter((event) => event.kind === 'transition')
        .map((event) => ({ time: Date.parse(event.time), from: event.from, to: event.to }))
        .reverse();
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

  // ---------------------------------------------------------------- start

  loadFaults();
  poll();
})();
