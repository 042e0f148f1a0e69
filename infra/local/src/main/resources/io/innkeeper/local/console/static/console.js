// The local console's page. It knows no domain: the demo users, the example commands and their
// forms come from /_local/console/api/overview (the domain's console fixture), the rest from the
// runtime's journal. It changes data only through the real API (commands, with tokens from
// /_local/tokens) and through the operator's redrive.
'use strict';

(() => {
  const API = '/_local/console/api/';
  const WINDOW_SECONDS = 120;

  const state = {
    overview: null,
    runId: null,
    tokens: new Map(),
    context: {},
    selected: null,
    recent: new Map(),
    everConnected: false,
    lastGlance: null,
    pendingJourney: null,
    pendingRecent: null,
    drawnJourney: null,
  };

  const $ = (id) => document.getElementById(id);

  function node(tag, attributes, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') n.className = v;
      else if (k.startsWith('data-')) n.setAttribute(k, String(v));
      else n[k] = v;
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      n.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return n;
  }

  function clear(n) {
    while (n.firstChild) n.removeChild(n.firstChild);
    return n;
  }

  async function getJson(path) {
    const response = await fetch(path, { cache: 'no-store' });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
    return { status: response.status, body, headers: response.headers };
  }

  // ------------------------------------------------------------------ tabs

  function show(view) {
    for (const tab of document.querySelectorAll('.tab')) {
      tab.setAttribute('aria-selected', String(tab.dataset.view === view));
    }
    for (const section of document.querySelectorAll('.view')) {
      section.hidden = section.id !== 'view-' + view;
    }
    if (view === 'system' && state.lastGlance) renderGlance(state.lastGlance);
  }

  // ------------------------------------------------------------------ overview and the form

  async function loadOverview() {
    const { status, body } = await getJson(API + 'overview');
    if (status !== 200) throw new Error('overview answered ' + status);
    state.overview = body;
    state.runId = body.runId;
    state.context = Object.assign({}, body.context || {}, state.context);
    $('domain').textContent = body.domain ? 'domain ' + body.domain : 'no domain';
    const users = clear($('user'));
    for (const u of body.users) {
      users.appendChild(node('option', { value: u.sub }, u.sub + (u.groups.length ? ' (' + u.groups.join(', ') + ')' : ' (guest)')));
    }
    const examples = clear($('example'));
    const valid = node('optgroup', { label: 'What the system takes' });
    const invalid = node('optgroup', { label: 'What it refuses or rejects' });
    body.examples.forEach((e, i) => {
      (e.valid ? valid : invalid).appendChild(node('option', { value: 'example:' + i }, e.title));
    });
    const routes = node('optgroup', { label: 'Any command route (empty form)' });
    body.routes.filter((r) => r.method !== 'GET').forEach((r, i) => {
      routes.appendChild(node('option', { value: 'route:' + i }, r.route));
    });
    for (const g of [valid, invalid, routes]) if (g.children.length) examples.appendChild(g);
    const projections = clear($('verify-projection'));
    for (const p of body.projections) projections.appendChild(node('option', { value: p }, p));
    $('verify').disabled = !body.verify;
    $('redrive-projections').disabled = !body.redriveTargets.includes('projections');
    $('redrive-commands').disabled = !body.redriveTargets.includes('commands');
    pickExample();
  }

  function currentChoice() {
    const value = $('example').value || '';
    const [kind, index] = value.split(':');
    if (kind === 'example') return { example: state.overview.examples[Number(index)] };
    if (kind === 'route') {
      const route = state.overview.routes.filter((r) => r.method !== 'GET')[Number(index)];
      return { route };
    }
    return {};
  }

  function fill(text) {
    return String(text).replace(/\{\{([A-Za-z][A-Za-z0-9]*)}}/g, (all, name) =>
      state.context[name] !== undefined ? state.context[name] : all);
  }

  function pickExample() {
    const form = clear($('form'));
    const choice = currentChoice();
    const expect = clear($('expect'));
    if (choice.example) {
      const e = choice.example;
      expect.appendChild(node('span', { class: e.valid ? 'valid' : 'invalid' },
        e.valid ? 'expected: SUCCEEDED' : 'expected: ' + e.expect));
      $('user').value = e.caller;
      $('route').textContent = e.route;
      const params = e.route.match(/\{([A-Za-z][A-Za-z0-9]*)}/g) || [];
      for (const p of params) {
        const name = p.slice(1, -1);
        form.appendChild(node('label', {}, name,
          node('input', { name, 'data-path': name, value: fill(e.pathParameters[name] || '') })));
      }
      for (const [name, value] of Object.entries(e.body)) {
        if (value !== null && typeof value === 'object') {
          form.appendChild(node('label', {}, name + ' (JSON)',
            node('textarea', { name, 'data-field': name, 'data-type': 'json', rows: 3, value: fill(JSON.stringify(value)) })));
        } else {
          form.appendChild(node('label', {}, name,
            node('input', { name, 'data-field': name, 'data-type': typeof value, value: fill(value) })));
        }
      }
    } else if (choice.route) {
      $('route').textContent = choice.route.route;
      expect.appendChild(node('span', {}, 'a form of your own'));
      const params = choice.route.path.match(/\{([A-Za-z][A-Za-z0-9]*)}/g) || [];
      for (const p of params) {
        const name = p.slice(1, -1);
        form.appendChild(node('label', {}, name, node('input', { name, 'data-path': name, value: fill('{{' + name + '}}').startsWith('{{') ? '' : fill('{{' + name + '}}') })));
      }
      form.appendChild(node('label', {}, 'body (JSON)',
        node('textarea', { name: 'body', 'data-body': 'json', rows: 6, value: '{}' })));
    }
  }

  function requestFromForm() {
    const choice = currentChoice();
    const template = choice.example ? choice.example.route : choice.route.route;
    const [method, pathTemplate] = template.split(' ');
    let path = pathTemplate;
    for (const input of document.querySelectorAll('#form [data-path]')) {
      path = path.replace('{' + input.dataset.path + '}', encodeURIComponent(input.value.trim()));
    }
    let body = {};
    const whole = document.querySelector('#form [data-body]');
    if (whole) {
      body = JSON.parse(whole.value || '{}');
    } else {
      for (const input of document.querySelectorAll('#form [data-field]')) {
        const name = input.dataset.field;
        const type = input.dataset.type;
        if (type === 'json') body[name] = JSON.parse(input.value);
        else if (type === 'number') body[name] = input.value.trim() === '' ? null : Number(input.value);
        else if (type === 'boolean') body[name] = input.value.trim() === 'true';
        else body[name] = input.value;
      }
    }
    return { method, path, body, example: choice.example || null };
  }

  async function token(sub) {
    if (state.tokens.has(sub)) return state.tokens.get(sub);
    const user = state.overview.users.find((u) => u.sub === sub) || { sub, groups: [] };
    const response = await fetch('/_local/tokens', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sub: user.sub, groups: user.groups }),
    });
    const body = await response.json();
    if (!body.token) throw new Error('no token for ' + sub);
    state.tokens.set(sub, body.token);
    return body.token;
  }

  function showResult(element, ok, text) {
    element.hidden = false;
    element.dataset.ok = String(ok);
    element.textContent = text;
  }

  async function send() {
    const button = $('send');
    const result = $('send-result');
    let request;
    try {
      request = requestFromForm();
    } catch (e) {
      showResult(result, false, 'The form is not valid JSON: ' + e.message);
      return;
    }
    button.disabled = true;
    $('api-status').hidden = true;
    $('read-back').hidden = true;
    const sub = $('user').value;
    try {
      const bearer = await token(sub);
      const response = await fetch(request.path, {
        method: request.method,
        headers: { Authorization: 'Bearer ' + bearer, 'Content-Type': 'application/json' },
        body: JSON.stringify(request.body),
      });
      const text = await response.text();
      let body = null;
      try { body = JSON.parse(text); } catch (e) { body = null; }
      showResult(result, response.status < 300,
        request.method + ' ' + request.path + ' as ' + sub + ' → ' + response.status + '\n' + text);
      if (body && body.commandId) {
        for (const [k, v] of Object.entries(body)) {
          if (k !== 'commandId' && typeof v === 'string' && /Id$/.test(k)) state.context[k] = v;
        }
        select(body.commandId);
        follow(body.commandId, sub, request.example);
      } else {
        const requestId = response.headers.get('apigw-requestid');
        if (requestId) select('request:' + requestId);
      }
    } catch (e) {
      showResult(result, false, 'Could not send: ' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  // After a 202: the command's status through the API, then, once it SUCCEEDED, a query with its
  // consistency token, which waits until the read model shows the command's effects.
  async function follow(commandId, sub, example) {
    const bearer = await token(sub);
    const deadline = Date.now() + 30000;
    let status = null;
    while (Date.now() < deadline) {
      const response = await fetch('/commands/' + encodeURIComponent(commandId), { headers: { Authorization: 'Bearer ' + bearer } });
      status = response.status === 200 ? await response.json() : null;
      if (status && status.status !== 'PENDING') break;
      await new Promise((r) => setTimeout(r, 150));
    }
    if (state.selected !== commandId) return;
    if (!status) {
      showResult($('api-status'), false, 'GET /commands/' + commandId + ': no outcome within 30 s');
      return;
    }
    showResult($('api-status'), status.status === 'SUCCEEDED',
      'GET /commands/' + commandId + ' → ' + status.status + (status.reason ? ' ' + status.reason : '') +
      (status.consistencyToken ? '\nconsistencyToken ' + status.consistencyToken : ''));
    if (status.status !== 'SUCCEEDED' || !status.consistencyToken) return;
    const path = example && example.readBack ? fill(example.readBack) : '/commands/' + encodeURIComponent(commandId);
    const started = performance.now();
    const response = await fetch(path, {
      headers: { Authorization: 'Bearer ' + bearer, 'X-Consistency-Token': status.consistencyToken },
    });
    const text = await response.text();
    if (state.selected !== commandId) return;
    showResult($('read-back'), response.status === 200,
      'GET ' + path + ' with X-Consistency-Token → ' + response.status + ' in ' +
      Math.round(performance.now() - started) + ' ms\n' + text);
  }

  // ------------------------------------------------------------------ recent commands and journeys

  async function loadRecent() {
    const { status, body } = await getJson(API + 'commands');
    if (status !== 200) return;
    state.recent.clear();
    for (const j of body.items) state.recent.set(j.id, j);
    renderRecent();
  }

  function renderRecent() {
    const list = clear($('recent'));
    const items = [...state.recent.values()].sort((a, b) => String(b.firstAt).localeCompare(String(a.firstAt)));
    const streams = clear($('streams'));
    const seen = new Set();
    for (const j of items.slice(0, 100)) {
      const li = node('li', { 'data-id': j.id, 'aria-current': String(j.id === state.selected) },
        node('span', { class: 'status', 'data-status': j.status || 'PENDING' }, j.status || 'PENDING'),
        node('span', {}, (j.type || j.route || j.id)),
        node('span', { class: 'when' }, time(j.firstAt)));
      li.title = j.id + (j.reason ? ' — ' + j.reason : '');
      li.addEventListener('click', () => select(j.id));
      list.appendChild(li);
      if (j.stream && !seen.has(j.stream)) {
        seen.add(j.stream);
        streams.appendChild(node('option', { value: j.stream }));
      }
    }
    if (!items.length) list.appendChild(node('li', { class: 'empty' }, 'nothing yet'));
  }

  function select(id) {
    state.selected = id;
    for (const li of document.querySelectorAll('#recent li')) li.setAttribute('aria-current', String(li.dataset.id === id));
    show('journey');
    loadJourney();
  }

  function scheduleJourney() {
    if (state.pendingJourney) return;
    state.pendingJourney = setTimeout(() => { state.pendingJourney = null; loadJourney(); }, 60);
  }

  function scheduleRecent() {
    if (state.pendingRecent) return;
    state.pendingRecent = setTimeout(() => { state.pendingRecent = null; renderRecent(); }, 200);
  }

  async function loadJourney() {
    const id = state.selected;
    if (!id) return;
    const { status, body } = await getJson(API + 'commands/' + encodeURIComponent(id));
    if (id !== state.selected) return;
    // Redraw only what changed: a settled journey stays put (and keeps its open details).
    const drawn = status + ' ' + JSON.stringify(body);
    if (state.drawnJourney === id + drawn) return;
    state.drawnJourney = id + drawn;
    $('journey-title').textContent = id.startsWith('request:') ? 'Request ' + id.slice(8) : 'Command ' + id;
    const summary = clear($('journey-summary'));
    const steps = clear($('steps'));
    if (status !== 200) {
      summary.appendChild(node('p', { class: 'hint' }, 'Waiting for the runtime to see it…'));
      return;
    }
    const dl = node('dl');
    const add = (k, v) => { if (v !== undefined && v !== null && v !== '') dl.append(node('dt', {}, k), node('dd', {}, String(v))); };
    add('type', body.type);
    add('route', body.route);
    add('caller', body.caller);
    add('status', body.status);
    add('reason', body.reason);
    add('message group', body.messageGroup);
    if (body.stream) {
      const link = node('a', { href: '#', 'data-stream': body.stream }, body.stream + (body.version ? ' v' + body.version : ''));
      link.addEventListener('click', (e) => { e.preventDefault(); history(body.stream); });
      dl.append(node('dt', {}, 'stream'), node('dd', {}, link));
    }
    summary.appendChild(dl);
    for (const s of body.journey) {
      const detail = Object.entries(s.detail || {}).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join('\n');
      steps.appendChild(node('li', { 'data-kind': s.kind, 'data-problem': String(s.problem) },
        node('span', { class: 'offset', title: s.at }, '+' + s.offsetMs + ' ms'),
        node('span', { class: 'where' }, s.where),
        node('span', { class: 'title' }, s.title),
        detail ? node('details', {}, node('summary', {}, 'details'), node('pre', {}, detail)) : null));
    }
    if (body.droppedSteps) steps.appendChild(node('li', { class: 'more' }, body.droppedSteps + ' more steps not kept'));
  }

  // ------------------------------------------------------------------ the system at a glance

  function renderGlance(g) {
    state.lastGlance = g;
    const rows = $('queues').querySelector('tbody');
    clear(rows);
    for (const q of g.queues) {
      const attention = (q.kind === 'parked' || q.kind === 'dead-letters') && (q.visible + q.inFlight) > 0;
      rows.appendChild(node('tr', { 'data-queue': q.id, 'data-attention': String(attention) },
        node('td', { class: 'mono' }, q.id),
        node('td', {}, q.role),
        node('td', { class: 'num', 'data-field': 'visible' }, q.error ? '?' : q.visible),
        node('td', { class: 'num', 'data-field': 'inFlight' }, q.error ? '?' : q.inFlight),
        node('td', { class: 'num' }, q.error ? '?' : q.delayed)));
    }
    notes($('parked'), g.parked.open, 'nothing parked');
    notes($('dead-letters'), g.deadLetters.open, 'no dead letters');
    renderChaos(g.chaos);
    const stats = g.journal;
    $('journal-stats').textContent = stats.journeys + ' journeys kept (' + stats.forgottenJourneys + ' forgotten), ' +
      stats.recorded + ' observations recorded, ' + stats.dropped + ' dropped while busy';
    if (!$('view-system').hidden) LagChart.draw($('lag-chart'), $('lag-legend'), g.lag, WINDOW_SECONDS);
  }

  function notes(list, items, empty) {
    clear(list);
    if (!items.length) list.appendChild(node('li', { class: 'empty' }, empty));
    for (const n of items) {
      const li = node('li', { 'data-kind': n.kind }, time(n.at) + ' ', n.title);
      const d = n.detail || {};
      if (d.records && d.records.length) li.appendChild(node('div', { class: 'mono' }, d.records.join(', ')));
      for (const c of (d.commands || (d.commandId ? [d.commandId] : []))) {
        const link = node('a', { href: '#', class: 'mono' }, ' ' + c);
        link.addEventListener('click', (e) => { e.preventDefault(); select(c); });
        li.appendChild(link);
      }
      list.appendChild(li);
    }
  }

  function renderChaos(c) {
    const box = clear($('chaos'));
    box.appendChild(node('p', { 'data-on': String(c.on) }, c.on ? 'on: ' + c.spec : 'off (start with --chaos SPEC to inject faults)'));
    const counts = node('div', { class: 'counts' });
    for (const [fault, n] of Object.entries(c.injected)) counts.append(node('span', {}, fault), node('span', { class: 'num' }, String(n)));
    for (const [variant, n] of Object.entries(c.variants || {})) counts.append(node('span', { class: 'muted' }, variant), node('span', { class: 'num' }, String(n)));
    for (const [fn, n] of Object.entries(c.timedOutInvocations || {})) {
      if (n > 0) counts.append(node('span', {}, fn + ' timed out'), node('span', { class: 'num' }, String(n)));
    }
    box.appendChild(counts);
    if (c.recent && c.recent.length) {
      const ul = node('ul', { class: 'notes' });
      for (const n of c.recent.slice(0, 8)) ul.appendChild(node('li', {}, time(n.at) + ' ' + n.title));
      box.appendChild(ul);
    }
  }

  async function redrive(target) {
    const out = $('redrive-output');
    out.hidden = false;
    out.textContent = 'redrive ' + target + ' …';
    for (const b of ['redrive-projections', 'redrive-commands']) $(b).disabled = true;
    try {
      const response = await fetch(API + 'redrive', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ target }),
      });
      const body = await response.json();
      out.dataset.exitCode = String(body.exitCode);
      out.textContent = response.status === 200
        ? '$ ' + body.command + '   (exit ' + body.exitCode + ')\n' + body.output.concat(body.errors).join('\n')
        : body.detail;
    } catch (e) {
      out.textContent = 'redrive failed: ' + e.message;
    } finally {
      for (const b of ['redrive-projections', 'redrive-commands']) $(b).disabled = false;
    }
  }

  // ------------------------------------------------------------------ history and verify

  async function history(stream) {
    show('history');
    $('stream').value = stream;
    const box = clear($('history'));
    box.appendChild(node('p', { class: 'hint' }, 'Replaying the record…'));
    const { status, body } = await getJson(API + 'history?stream=' + encodeURIComponent(stream));
    clear(box);
    if (status !== 200) {
      box.appendChild(node('p', { class: 'drift' }, (body && body.detail) || 'history answered ' + status));
      return;
    }
    if (body.error) box.appendChild(node('p', { class: 'drift' }, body.error));
    if (!body.events.length) box.appendChild(node('p', { class: 'hint' }, 'No events in ' + stream + '.'));
    for (const e of body.events) {
      const section = node('div', { class: 'history-event', 'data-version': e.version },
        node('h3', {}, 'v' + e.version + ' ' + e.type),
        node('div', { class: 'hint' }, time(e.occurredAt) + ' · command ', commandLink(e.commandId)),
        node('pre', {}, JSON.stringify(e.data, null, 2)));
      if (e.error) section.appendChild(node('p', { class: 'drift' }, e.error));
      const table = node('table', { class: 'grid row-change' },
        node('thead', {}, node('tr', {}, node('th', {}, 'projection'), node('th', {}, 'row'), node('th', {}, 'change'), node('th', {}, 'attributes'))));
      const tbody = node('tbody');
      for (const r of e.rows) {
        const attributes = node('td');
        for (const name of r.changed) {
          attributes.appendChild(node('div', { class: 'mono' }, name + ': ',
            r.before[name] !== undefined ? node('span', { class: 'before' }, String(r.before[name])) : null,
            r.before[name] !== undefined && r.after[name] !== undefined ? ' → ' : null,
            r.after[name] !== undefined ? node('span', { class: 'after' }, String(r.after[name])) : null));
        }
        tbody.appendChild(node('tr', { 'data-projection': r.projection },
          node('td', {}, r.projection),
          node('td', { class: 'mono' }, r.table + ' ' + r.pk + ' | ' + r.sk),
          node('td', {}, r.change),
          attributes));
      }
      if (!e.rows.length) tbody.appendChild(node('tr', {}, node('td', { colSpan: 4, class: 'hint' }, 'no read-model row changed')));
      table.appendChild(tbody);
      section.appendChild(table);
      box.appendChild(section);
    }
  }

  function commandLink(id) {
    const link = node('a', { href: '#', class: 'mono' }, id);
    link.addEventListener('click', (e) => { e.preventDefault(); select(id); });
    return link;
  }

  async function verify() {
    const projection = $('verify-projection').value;
    const box = clear($('verify-output'));
    box.appendChild(node('p', { class: 'hint' }, 'Projecting every event from scratch…'));
    $('verify').disabled = true;
    try {
      const { status, body } = await getJson(API + 'verify?projection=' + encodeURIComponent(projection));
      clear(box);
      if (status !== 200) {
        box.appendChild(node('p', { class: 'drift' }, (body && body.detail) || 'verify answered ' + status));
        return;
      }
      box.dataset.drift = String(body.drift.length);
      box.appendChild(node('p', {}, body.events + ' events projected from scratch: ' + body.rowsExpected +
        ' rows expected, ' + body.rowsFound + ' found in ' + body.tables.join(', ') + ' (' + body.millis + ' ms)'));
      if (!body.drift.length) box.appendChild(node('p', { class: 'nodrift' }, 'drift: none'));
      else {
        box.appendChild(node('p', { class: 'drift' }, 'drift: ' + body.drift.length + ' rows differ'));
        const ul = node('ul', { class: 'notes' });
        for (const line of body.drift.slice(0, 100)) ul.appendChild(node('li', { class: 'drift' }, line));
        box.appendChild(ul);
      }
    } finally {
      $('verify').disabled = false;
    }
  }

  // ------------------------------------------------------------------ live: server-sent events

  function connect() {
    const source = new EventSource(API + 'events');
    const connection = $('connection');
    source.addEventListener('hello', async (e) => {
      const hello = JSON.parse(e.data);
      const restarted = state.runId && hello.runId !== state.runId;
      state.everConnected = true;
      $('stopped').hidden = true;
      connection.dataset.state = 'live';
      connection.textContent = 'live';
      if (restarted || !state.overview) {
        state.tokens.clear();
        await loadOverview();
      }
      await loadRecent();
      if (state.selected) loadJourney();
    });
    source.addEventListener('step', (e) => {
      const m = JSON.parse(e.data);
      state.recent.set(m.journey.id, m.journey);
      scheduleRecent();
      if (m.journey.id === state.selected) scheduleJourney();
    });
    source.addEventListener('journey', (e) => {
      const m = JSON.parse(e.data);
      state.recent.set(m.journey.id, m.journey);
      scheduleRecent();
      if (m.journey.id === state.selected) scheduleJourney();
    });
    source.addEventListener('glance', (e) => renderGlance(JSON.parse(e.data)));
    source.onerror = () => {
      if (!state.everConnected) {
        connection.dataset.state = 'connecting';
        connection.textContent = 'connecting…';
        return;
      }
      // The browser tries again by itself; until it succeeds, say plainly that the runtime is gone.
      connection.dataset.state = 'stopped';
      connection.textContent = 'runtime stopped';
      if ($('stopped').hidden) {
        $('stopped-at').textContent = ' at ' + new Date().toLocaleTimeString();
        $('stopped').hidden = false;
      }
    };
  }

  function time(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  // ------------------------------------------------------------------ start

  document.addEventListener('DOMContentLoaded', async () => {
    for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));
    $('example').addEventListener('change', pickExample);
    $('send').addEventListener('click', send);
    $('redrive-projections').addEventListener('click', () => redrive('projections'));
    $('redrive-commands').addEventListener('click', () => redrive('commands'));
    $('show-history').addEventListener('click', () => history($('stream').value.trim()));
    $('verify').addEventListener('click', verify);
    try {
      await loadOverview();
      await loadRecent();
    } catch (e) {
      $('connection').dataset.state = 'stopped';
      $('connection').textContent = 'runtime unreachable';
    }
    connect();
  });
})();
