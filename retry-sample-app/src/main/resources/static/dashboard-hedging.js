/*
 * The dashboard's "What hedging buys" panel: per fault, the search's p99 with and without hedging
 * and the extra requests the hedges were, and in words what hedging saved in the slow tail.
 */
'use strict';

window.RetryDashboard.renderLatency = (() => {
  const { count, millis } = window.RetryDashboard;
  const $ = (id) => document.getElementById(id);

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

  return renderLatency;
})();
