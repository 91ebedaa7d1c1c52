/*
 * The dashboard's timeline of the last five minutes, one SVG: the demo's phases, the traffic per
 * 5 s step, each breaker's state as a band, and the search's p99 per step on a log scale.
 */
'use strict';

window.RetryDashboard.renderTimeline = (() => {
  const { WINDOW_MILLIS, STEP_MILLIS, STATE_TEXT, el, text, niceMax, millis, trimNumber, clock } = window.RetryDashboard;
  const $ = (id) => document.getElementById(id);

  const SERIES = [
    { key: 'calls', label: 'calls', cls: 'calls' },
    { key: 'retries', label: 'retries', cls: 'retries' },
    { key: 'fallbacks', label: 'fallbacks', cls: 'fallbacks' },
    { key: 'hedgesWon', label: 'hedges won', cls: 'hedges' },
    { key: 'rejected', label: 'rejected', cls: 'rejected' },
  ];

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


  return renderTimeline;
})();
