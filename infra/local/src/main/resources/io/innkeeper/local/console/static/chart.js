// The lag chart: one line per series (each projection, each subscriber), one point per second
// that had something applied, drawn into an <svg> with nothing but the DOM. Every point drawn is
// a <circle> carrying its second and value, and each line keeps the values it drew, so what the
// chart shows can be checked against the data it was given.
'use strict';

const LagChart = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = ['#2456c7', '#1b7f4b', '#c2410c', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f', '#a16207'];
  const BOX = { left: 56, top: 12, width: 684, height: 206 };

  function el(name, attributes, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attributes || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A round number at or above the highest value, so the axis reads well.
  function niceMax(value) {
    if (!(value > 0)) return 10;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * power >= value) return step * power;
    }
    return 10 * power;
  }

  function colorOf(names, name) {
    return COLORS[names.indexOf(name) % COLORS.length];
  }

  // lag: {to: epochSecond, seconds: N, series: {name: [value|null, ...oldest first]}}
  // window: how many of the last seconds to draw.
  function draw(svg, legend, lag, window) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const names = Object.keys(lag.series || {}).sort();
    const seconds = Math.min(window, lag.seconds || window);
    const from = lag.to - seconds + 1;
    let highest = 0;
    const visible = {};
    for (const name of names) {
      const all = lag.series[name];
      const values = all.slice(all.length - seconds);
      visible[name] = values;
      for (const v of values) if (v !== null && v > highest) highest = v;
    }
    const max = niceMax(highest);
    svg.dataset.to = String(lag.to);
    svg.dataset.from = String(from);
    svg.dataset.max = String(max);
    svg.dataset.left = String(BOX.left);
    svg.dataset.top = String(BOX.top);
    svg.dataset.width = String(BOX.width);
    svg.dataset.height = String(BOX.height);
    svg.dataset.seconds = String(seconds);
    const x = (second) => BOX.left + (BOX.width * (second - from)) / Math.max(1, seconds - 1);
    const y = (value) => BOX.top + BOX.height * (1 - value / max);

    // Axes, gridlines and their labels.
    for (const fraction of [0, 0.5, 1]) {
      const value = max * fraction;
      const gy = y(value);
      svg.appendChild(el('line', { class: 'axis', x1: BOX.left, x2: BOX.left + BOX.width, y1: gy, y2: gy }));
      svg.appendChild(el('text', { x: BOX.left - 6, y: gy + 4, 'text-anchor': 'end' }, formatMs(value)));
    }
    for (const back of [seconds - 1, Math.round((seconds - 1) / 2), 0]) {
      svg.appendChild(el('text', { x: x(lag.to - back), y: BOX.top + BOX.height + 18, 'text-anchor': 'middle' },
        back === 0 ? 'now' : '-' + back + ' s'));
    }

    while (legend.firstChild) legend.removeChild(legend.firstChild);
    if (names.length === 0) {
      svg.appendChild(el('text', { x: BOX.left + BOX.width / 2, y: BOX.top + BOX.height / 2, 'text-anchor': 'middle' },
        'nothing applied yet: send a command'));
    }
    for (const name of names) {
      const color = colorOf(names, name);
      const values = visible[name];
      const group = el('g', { 'data-series': name });
      let d = '';
      let pen = false;
      values.forEach((v, i) => {
        if (v === null) { pen = false; return; }
        d += (pen ? ' L ' : ' M ') + x(from + i).toFixed(1) + ' ' + y(v).toFixed(1);
        pen = true;
      });
      const path = el('path', { d: d.trim(), fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': name });
      path.dataset.values = JSON.stringify(values);
      group.appendChild(path);
      values.forEach((v, i) => {
        if (v === null) return;
        const dot = el('circle', { class: 'point', cx: x(from + i).toFixed(1), cy: y(v).toFixed(1), r: 2.5, fill: color });
        dot.dataset.series = name;
        dot.dataset.second = String(from + i);
        dot.dataset.value = String(v);
        dot.appendChild(el('title', {}, name + ': ' + v + ' ms'));
        group.appendChild(dot);
      });
      svg.appendChild(group);

      const last = [...values].reverse().find((v) => v !== null);
      const item = document.createElement('li');
      item.dataset.series = name;
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(name + (last === undefined ? ' (idle)' : ': ' + formatMs(last))));
      legend.appendChild(item);
    }
  }

  function formatMs(ms) {
    // Enough digits for the axis's round steps (1.25 s, 2.5 s), none to spare.
    const seconds = (digits) => String(Number((ms / 1000).toFixed(digits))) + ' s';
    return ms >= 10000 ? seconds(0) : ms >= 1000 ? seconds(2) : Math.round(ms) + ' ms';
  }

  return { draw, niceMax };
})();
