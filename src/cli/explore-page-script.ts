// The explorer page's script: it asks the JSON API for the session's view and draws it (the path
// with a lane per node, the enabled events, the properties, the state per node with what the step
// changed highlighted, as the HTML trace view does). Model strings are written with textContent
// only, never as markup; watch expressions are sent to the server, which parses them (no eval).
// The body's data-position and data-busy attributes tell tests when a response has been drawn.
import { PAGE_HELPERS_SCRIPT } from '../api/traces.ts';


export const EXPLORE_SCRIPT = `
(function () {
  'use strict';
  var token = document.querySelector('meta[name="ordeal-token"]').getAttribute('content');
  history.replaceState(null, '', '/');
  var view = null;
  var expanded = {};
  var $ = function (id) { return document.getElementById(id); };
${PAGE_HELPERS_SCRIPT}
  function setError(text) { $('error').textContent = text; }
  function busy(on) { if (on) document.body.setAttribute('data-busy', '1'); else document.body.removeAttribute('data-busy'); }
  function request(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'X-Ordeal-Token': token } };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init);
  }
  function call(method, path, body) {
    busy(true);
    return request(method, path, body).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw new Error(data.error || ('HTTP ' + res.status));
        return data;
      });
    }).finally(function () { busy(false); });
  }
  function act(path, body) {
    return call('POST', path, body).then(function (v) { setError(''); show(v); }, function (e) { setError(e.message); });
  }

  function section(name, value, path, changed) {
    var s = el('section');
    s.setAttribute('data-part', name);
    s.appendChild(el('h3', changed.has(path) ? 'changed' : '', name));
    s.appendChild(render(value, path, changed));
    return s;
  }
  function showState() {
    var step = view.steps[view.position];
    $('step-title').textContent = 'step ' + view.position + ': ' + step.description;
    var changes = $('changes');
    changes.textContent = '';
    view.changes.forEach(function (c) { changes.appendChild(el('li', '', c)); });
    var changed = new Set(view.changedPaths);
    var box = $('state');
    box.textContent = '';
    var state = view.state;
    if (!isRecord(state)) { box.appendChild(render(state, '', changed)); return; }
    Object.keys(state).forEach(function (k) {
      if (k === 'nodes' && isRecord(state.nodes) && view.lanes.length > 0) {
        Object.keys(state.nodes).forEach(function (n) { box.appendChild(section(n, state.nodes[n], 'nodes.' + n, changed)); });
      } else {
        box.appendChild(section(k, state[k], k, changed));
      }
    });
  }
  function showProperties() {
    var list = $('properties');
    list.textContent = '';
    view.properties.forEach(function (p) {
      var cls = p.kind === 'invariant' ? (p.holds ? 'holds' : 'broken') : (p.holds ? 'holds' : 'unreached');
      var text = p.kind === 'invariant'
        ? (p.holds ? '✓ ' + p.name + ' holds' : '✗ ' + p.name + ' is broken: ' + p.message)
        : (p.holds ? '✓ ' + p.name + ' is reached here' : '○ ' + p.name + ' is not reached here');
      var li = el('li', cls, text);
      li.setAttribute('data-name', p.name);
      li.title = p.description;
      list.appendChild(li);
    });
  }
  function filters() { return { node: $('filter-node').value, type: $('filter-type').value, collapse: $('collapse').value }; }
  function passes(tags, f) {
    return (f.node === '' || tags.nodes.indexOf(f.node) >= 0) && (f.type === '' || tags.type === f.type);
  }
  function fillSelect(select, values) {
    var keep = select.value;
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (v) { var o = el('option', '', v); o.value = v; select.appendChild(o); });
    select.value = values.indexOf(keep) >= 0 ? keep : '';
  }
  function laneMark(step, lane) {
    if (step.nodes.length === 0) return '';
    if (step.event && (step.event.kind === 'deliver' || step.event.kind === 'drop' || step.event.kind === 'duplicate')) {
      if (step.nodes[1] === lane) return step.event.kind === 'deliver' ? '●' : step.event.kind === 'drop' ? '×' : '⧉';
      return step.nodes[0] === lane ? '○' : '';
    }
    return step.nodes.indexOf(lane) >= 0 ? step.type.charAt(0).toUpperCase() : '';
  }
  function stepRow(step) {
    var tr = el('tr', 'step');
    tr.setAttribute('data-step', String(step.index));
    if (step.index === view.position) tr.classList.add('current');
    if (step.index > view.position) tr.classList.add('future');
    if (step.broken.length > 0) tr.classList.add('broken');
    tr.appendChild(el('td', 'num', String(step.index)));
    view.lanes.forEach(function (lane) { tr.appendChild(el('td', 'lane', laneMark(step, lane))); });
    var broken = step.broken.length > 0 ? '  ✗ ' + step.broken.join(', ') : '';
    tr.appendChild(el('td', 'description', step.description + broken));
    view.watches.forEach(function (w) { tr.appendChild(el('td', 'watch', short(w.values[step.index]))); });
    tr.addEventListener('click', function () { act('/api/goto', { step: step.index }); });
    return tr;
  }
  function groupKey(step, mode) { return mode === 'type' ? step.type : step.type + '|' + step.nodes.slice().sort().join(','); }
  function groupRow(run, mode) {
    var first = run[0], last = run[run.length - 1];
    var tr = el('tr', 'group');
    tr.setAttribute('data-first', String(first.index));
    tr.appendChild(el('td', 'num', '▸'));
    var names = mode === 'pair' ? first.nodes.slice().sort().join(' ↔ ') : '';
    var td = el('td', '', run.length + ' × ' + first.type + (names ? ' between ' + names : '') + ' (steps ' + first.index + '–' + last.index + ', click to expand)');
    td.colSpan = view.lanes.length + 1 + view.watches.length;
    tr.appendChild(td);
    tr.addEventListener('click', function () { expanded[first.index] = true; showHistory(); });
    return tr;
  }
  function showHistory() {
    var f = filters();
    var head = $('history').tHead;
    head.textContent = '';
    var hr = el('tr');
    hr.appendChild(el('th', '', '#'));
    view.lanes.forEach(function (l) { hr.appendChild(el('th', '', l)); });
    hr.appendChild(el('th', '', 'event'));
    view.watches.forEach(function (w) { hr.appendChild(el('th', '', w.source)); });
    head.appendChild(hr);
    var body = $('history').tBodies[0];
    body.textContent = '';
    var visible = view.steps.filter(function (s) { return s.index === 0 || passes(s, f); });
    var i = 0;
    while (i < visible.length) {
      var j = i + 1;
      if (f.collapse !== '' && visible[i].index > 0) {
        while (j < visible.length && groupKey(visible[j], f.collapse) === groupKey(visible[i], f.collapse)) j++;
      }
      var run = visible.slice(i, j);
      var keep = run.length < 2 || expanded[run[0].index] || run.some(function (s) { return s.index === view.position || s.broken.length > 0; });
      if (keep) run.forEach(function (s) { body.appendChild(stepRow(s)); });
      else body.appendChild(groupRow(run, f.collapse));
      i = j;
    }
    var current = body.querySelector('tr.current');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: 'nearest' });
  }
  function showEvents() {
    var f = filters();
    var box = $('events');
    box.textContent = '';
    var next = view.steps[view.position + 1];
    var byKind = {};
    var shown = 0;
    view.enabled.forEach(function (e, index) {
      if (f.node !== '' && e.nodes.indexOf(f.node) < 0) return;
      (byKind[e.kind] = byKind[e.kind] || []).push({ e: e, index: index });
      shown++;
    });
    Object.keys(byKind).forEach(function (kind) {
      box.appendChild(el('h3', '', kind + ' (' + byKind[kind].length + ')'));
      var ul = el('ul');
      byKind[kind].forEach(function (item) {
        var b = el('button', 'event', item.e.description);
        b.setAttribute('data-index', String(item.index));
        b.setAttribute('data-kind', item.e.kind);
        if (next && next.description === item.e.description) { b.classList.add('next'); b.title = 'the next step of the path'; }
        b.addEventListener('click', function () { act('/api/step', { event: item.e.event }); });
        var li = el('li');
        li.appendChild(b);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    });
    $('event-count').textContent = shown === view.enabled.length ? '(' + shown + ')' : '(' + shown + ' of ' + view.enabled.length + ')';
  }
  function showWatches() {
    var list = $('watches');
    list.textContent = '';
    view.watches.forEach(function (w) {
      var li = el('li');
      li.appendChild(el('span', 'watch-source', w.source));
      li.appendChild(el('span', 'watch-value', '= ' + short(w.values[view.position]) + (w.error ? ' (' + w.error + ')' : '')));
      var rm = el('button', 'watch-remove', '×');
      rm.title = 'stop watching';
      rm.addEventListener('click', function () { act('/api/watch', { expression: w.source, remove: true }); });
      li.appendChild(rm);
      list.appendChild(li);
    });
  }
  function show(v) {
    view = v;
    $('title').textContent = v.model + ' [' + v.variant + ']';
    var params = Object.keys(v.params).map(function (k) { return k + '=' + v.params[k]; }).join(' ');
    $('facts').textContent = [params, v.config.network ? v.config.network + ' network' : ''].filter(Boolean).join(' · ');
    $('position').textContent = 'step ' + v.position + ' of ' + (v.steps.length - 1);
    $('back').disabled = v.position === 0;
    $('forward').disabled = v.position === v.steps.length - 1;
    var fv = v.firstViolation;
    $('verdict').textContent = fv ? '✗ ' + fv.property + ' breaks at step ' + fv.step : 'no invariant breaks on this path';
    $('verdict').className = fv ? 'bad' : '';
    var types = [];
    v.steps.concat(v.enabled).forEach(function (s) { if (s.type !== 'initial' && types.indexOf(s.type) < 0) types.push(s.type); });
    fillSelect($('filter-node'), v.lanes.slice());
    fillSelect($('filter-type'), types.sort());
    showHistory();
    showEvents();
    showProperties();
    showWatches();
    showState();
    document.body.setAttribute('data-position', String(v.position));
    document.body.setAttribute('data-length', String(v.steps.length - 1));
  }
  function refresh() { return call('GET', '/api/state').then(show, function (e) { setError(e.message); }); }

  function progressLine(p) {
    return 'BFS: ' + p.distinctStates + ' states, ' + p.transitions + ' transitions, depth ' + p.depth + ', queue ' + p.queue + ', ' + (p.elapsedMs / 1000).toFixed(1) + ' s';
  }
  function summaryLine(s) {
    var base = 'BFS from step ' + s.from + ': ' + s.distinctStates + ' states, depth ' + s.depth + ', ' + (s.elapsedMs / 1000).toFixed(1) + ' s. ';
    if (s.violation) return base + s.violation.property + ' breaks at step ' + s.violation.step + ': the path now leads there (step forward, or click its rows).';
    if (s.result === 'pass') return base + 'No invariant breaks from here.';
    return base + 'No invariant breaks within the limits (' + s.reasons.join('; ') + ').';
  }
  function runSearch() {
    var line = $('bfs-progress');
    line.removeAttribute('data-done');
    line.textContent = 'BFS from step ' + view.position + '…';
    var body = { maxStates: Number($('bfs-states').value) || undefined, maxDepth: Number($('bfs-depth').value) || undefined };
    busy(true);
    request('POST', '/api/bfs', body).then(function (res) {
      if (!res.ok) return res.json().then(function (d) { throw new Error(d.error); });
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function handle(text) {
        if (text.trim() === '') return;
        var msg = JSON.parse(text);
        if (msg.progress) line.textContent = progressLine(msg.progress);
        if (msg.summary) { line.textContent = summaryLine(msg.summary); line.setAttribute('data-done', msg.summary.violation ? 'violation' : msg.summary.result); }
        if (msg.error) { line.textContent = 'BFS failed: ' + msg.error; line.setAttribute('data-done', 'error'); }
      }
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) { handle(buffer); return; }
          buffer += decoder.decode(r.value, { stream: true });
          var lines = buffer.split('\\n');
          buffer = lines.pop();
          lines.forEach(handle);
          return pump();
        });
      }
      return pump();
    }).then(refresh, function (e) { line.textContent = 'BFS failed: ' + e.message; line.setAttribute('data-done', 'error'); }).finally(function () { busy(false); });
  }

  $('back').addEventListener('click', function () { act('/api/back', {}); });
  $('forward').addEventListener('click', function () { act('/api/forward', {}); });
  $('bfs-run').addEventListener('click', runSearch);
  $('watch-add').addEventListener('click', function () {
    var input = $('watch-input');
    act('/api/watch', { expression: input.value }).then(function () { if ($('error').textContent === '') input.value = ''; });
  });
  $('watch-input').addEventListener('keydown', function (e) { if (e.key === 'Enter') $('watch-add').click(); });
  ['filter-node', 'filter-type', 'collapse'].forEach(function (id) {
    $(id).addEventListener('change', function () { if (view) { showHistory(); showEvents(); } });
  });
  if ($('save')) $('save').addEventListener('click', function () {
    call('POST', '/api/save', { name: $('save-name').value }).then(function (r) {
      $('save-status').textContent = 'saved ' + r.saved + '; replay it with: ' + r.replay;
      $('save-status').setAttribute('data-saved', r.saved);
    }, function (e) { $('save-status').textContent = 'not saved: ' + e.message; });
  });
  $('load-file').addEventListener('change', function () {
    var file = $('load-file').files[0];
    if (!file) return;
    file.text().then(function (text) {
      var trace;
      try { trace = JSON.parse(text); } catch (e) { setError(file.name + ' is not JSON'); return; }
      return act('/api/load', { trace: trace });
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.target && (e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT')) return;
    if (e.key === 'ArrowLeft') { e.preventDefault(); act('/api/back', {}); }
    if (e.key === 'ArrowRight') { e.preventDefault(); act('/api/forward', {}); }
  });
  refresh();
})();
`;
