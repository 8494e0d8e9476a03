// The inline style and script of the HTML counterexample page (render-html.ts). The script reads
// the page's embedded JSON, shows the state at the selected step and highlights what changed. It
// writes model text only through textContent, never as markup.
import { PAGE_HELPERS_SCRIPT } from './page-helpers.ts';


export const VIEWER_STYLE = `
html, body { height: 100%; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1a202c; background: #fff; display: flex; flex-direction: column; overflow: hidden; }
header { flex: none; padding: 8px 16px; border-bottom: 1px solid #e2e8f0; background: #fff; }
h1 { font-size: 18px; margin: 0 0 2px; }
h1 .facts { font-weight: 400; margin-left: 8px; }
h2 { font-size: 15px; margin: 0 0 8px; overflow-wrap: anywhere; }
h3 { font-size: 13px; margin: 10px 0 4px; font-family: ui-monospace, monospace; }
p { margin: 2px 0; }
.facts, .help { color: #4a5568; font-size: 13px; }
.verdict { overflow-wrap: anywhere; }
.verdict.bad { color: #c53030; font-weight: 600; }
main { flex: 1 1 auto; min-height: 0; display: flex; }
#diagram { flex: 1 1 auto; min-width: 0; overflow: auto; outline: none; }
#panel { flex: 0 0 clamp(380px, 34vw, 560px); overflow: auto; padding: 12px 16px; border-left: 1px solid #e2e8f0; box-sizing: border-box; }
@media (max-width: 1100px) {
  main { flex-direction: column; }
  #diagram { flex: 1 1 58%; }
  #panel { flex: 1 1 42%; border-left: none; border-top: 2px solid #e2e8f0; }
  .help { display: none; }
}
#lane-head { position: sticky; top: 0; z-index: 1; display: flex; align-items: flex-start; background: #fff; border-bottom: 1px solid #e2e8f0; box-sizing: border-box; min-width: 100%; }
#lane-head > div { flex: none; box-sizing: border-box; padding: 4px 2px; text-align: center; }
#lane-head > .lane-corner { color: #718096; font-size: 11px; text-align: right; padding: 6px 8px 0 0; }
.lane-name { display: block; font: 600 12px ui-monospace, monospace; overflow-wrap: anywhere; }
.lane-badge { display: block; font: 10.5px/1.25 ui-monospace, monospace; color: #2c5282; white-space: pre-line; overflow-wrap: anywhere; }
.lane-badge:empty { display: none; }
.lane-badge.changed { background: #fff1a8; }
h3 .badge { font-weight: 400; color: #2c5282; margin-left: 10px; }
svg { display: block; }
svg text { font: 12px ui-monospace, monospace; fill: #1a202c; white-space: pre; }
.step { cursor: pointer; }
.step .row { fill: transparent; }
.step:hover .row { fill: #f1f5fb; }
.step.violation .row { fill: #ffe3e3; }
.step.selected .row { fill: #d6e4ff; }
.step.violation.selected .row { fill: #ffc4c4; }
.number { text-anchor: end; fill: #718096 !important; }
.lifeline { stroke: #a0aec0; stroke-width: 1.5; }
.down { stroke: #fff; stroke-width: 3; stroke-dasharray: 3 4; }
.msg { stroke-width: 1.5; fill: none; }
.msg.delivered { stroke: #2b6cb0; }
.msg.open { stroke: #718096; stroke-dasharray: 5 4; }
.msg.dropped, .msg.lost { stroke: #c53030; stroke-dasharray: 2 3; }
.head { fill: #2b6cb0; }
.open-head { fill: none; stroke: #718096; stroke-width: 1.5; }
.cross { stroke: #c53030; stroke-width: 2; }
.mark.deliver { fill: #2b6cb0; }
.mark.partition { stroke: #c53030; stroke-width: 2; stroke-dasharray: 8 4; }
.mark.heal { stroke: #2f855a; stroke-width: 2; stroke-dasharray: 2 3; }
.mark.fault rect { fill: #fefcbf; stroke: #b7791f; }
.mark.fault.crash rect, .mark.fault.drop rect { fill: #fed7d7; stroke: #c53030; }
.mark.fault.restart rect { fill: #c6f6d5; stroke: #2f855a; }
.mark.fault text { font-size: 11px; }
.mark.fault text.centred { text-anchor: middle; }
.clock circle { fill: #fff; stroke: #975a16; stroke-width: 1.5; }
.clock path { fill: none; stroke: #975a16; stroke-width: 1.5; stroke-linecap: round; }
.violation-label { fill: #c53030 !important; font-weight: 700; }
.label.end { fill: #718096; font-style: italic; }
#changes { margin: 0 0 8px; padding-left: 18px; font: 12px ui-monospace, monospace; overflow-wrap: anywhere; }
#state dl { margin: 0 0 0 12px; display: grid; grid-template-columns: max-content 1fr; column-gap: 8px; }
#state dt { font: 12px ui-monospace, monospace; color: #4a5568; align-self: start; }
#state dd { margin: 0; font: 12px ui-monospace, monospace; }
#state ul, #state ol { margin: 0; padding-left: 18px; }
#state li { font: 12px ui-monospace, monospace; }
#state section { border-top: 1px solid #edf2f7; }
.changed { background: #fff1a8; }
`;

export const VIEWER_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ordeal-data').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('g.step'));
  var last = data.states.length - 1;
  var current = -1;
${PAGE_HELPERS_SCRIPT}
  function section(name, value, path, changed, before, badge) {
    var s = el('section');
    s.setAttribute('data-part', name);
    var h = s.appendChild(el('h3', changed.has(path) ? 'changed' : '', name));
    if (badge) h.appendChild(el('span', 'badge', badge.split('\\n').join(' · ')));
    s.appendChild(render(value, path, changed, before));
    return s;
  }
  var pane = document.getElementById('diagram');
  var head = document.getElementById('lane-head');
  var titles = Array.prototype.slice.call(document.querySelectorAll('.lane-title'));
  // Scroll the diagram pane (vertically only) so row i shows below the sticky lane names; the
  // first row scrolls to the top, the last to the bottom (with the messages left in flight).
  function reveal(i, row) {
    if (i === 0) { pane.scrollTop = 0; return; }
    if (i === last) { pane.scrollTop = pane.scrollHeight; return; }
    var box = row.querySelector('rect').getBoundingClientRect();
    var top = pane.getBoundingClientRect().top + pane.clientTop + (head ? head.offsetHeight : 0);
    var bottom = pane.getBoundingClientRect().top + pane.clientTop + pane.clientHeight;
    if (box.top < top) pane.scrollTop -= top - box.top;
    else if (box.bottom > bottom) pane.scrollTop += box.bottom - bottom;
  }
  function badgeAt(i, lane) {
    var all = data.badges && data.badges[i];
    return all && Object.prototype.hasOwnProperty.call(all, lane) ? String(all[lane]) : '';
  }
  // Each lane's badge at step i, marked where the step changed it.
  function showBadges(i) {
    if (!data.badges) return;
    titles.forEach(function (t, k) {
      var text = badgeAt(i, data.lanes[k]);
      var badge = t.querySelector('.lane-badge');
      badge.textContent = text;
      badge.classList.toggle('changed', i > 0 && text !== badgeAt(i - 1, data.lanes[k]));
    });
  }
  function select(i) {
    if (i < 0 || i > last || i === current) return;
    current = i;
    showBadges(i);
    rows.forEach(function (r) {
      var on = Number(r.getAttribute('data-step')) === i;
      r.classList.toggle('selected', on);
      if (on) reveal(i, r);
    });
    var broken = data.violationStep === i ? '  (the property is broken here)' : '';
    document.getElementById('step-title').textContent = 'step ' + i + ': ' + data.descriptions[i] + broken;
    var changes = document.getElementById('changes');
    changes.textContent = '';
    data.changes[i].forEach(function (c) { changes.appendChild(el('li', '', c)); });
    var changed = new Set(data.changedPaths[i]);
    var state = data.states[i];
    var before = i > 0 ? data.states[i - 1] : state;
    var box = document.getElementById('state');
    box.textContent = '';
    if (!isRecord(state)) { box.appendChild(render(state, '', changed, before)); return; }
    Object.keys(state).forEach(function (k) {
      if (data.shape === 'actors' && k === 'nodes' && isRecord(state.nodes)) {
        Object.keys(state.nodes).forEach(function (n) {
          box.appendChild(section(n, state.nodes[n], 'nodes.' + n, changed, isRecord(before.nodes) ? before.nodes[n] : undefined, badgeAt(i, n)));
        });
      } else {
        box.appendChild(section(k, state[k], k, changed, isRecord(before) ? before[k] : undefined));
      }
    });
  }
  // The drawing's width was estimated from character counts; widen it if a font draws wider
  // (wide scripts, a proportional fallback), so no description or label is clipped.
  function fit() {
    var svg = document.getElementById('space-time');
    var need = 0;
    Array.prototype.forEach.call(svg.querySelectorAll('text'), function (t) {
      var b = t.getBBox();
      need = Math.max(need, Math.ceil(b.x + b.width + 16));
    });
    if (need <= svg.width.baseVal.value) return;
    svg.setAttribute('width', String(need));
    svg.setAttribute('viewBox', '0 0 ' + need + ' ' + svg.height.baseVal.value);
    Array.prototype.forEach.call(svg.querySelectorAll('rect.row'), function (r) { r.setAttribute('width', String(need)); });
    if (head) head.style.width = need + 'px';
  }
  fit();
  rows.forEach(function (r) {
    r.addEventListener('click', function () { select(Number(r.getAttribute('data-step'))); });
  });
  document.addEventListener('keydown', function (e) {
    var to = { ArrowDown: current + 1, ArrowRight: current + 1, ArrowUp: current - 1, ArrowLeft: current - 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(to);
  });
  select(data.violationStep !== null && data.violationStep <= last ? data.violationStep : 0);
})();
`;
