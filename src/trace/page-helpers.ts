// Browser-side helpers shared by the HTML trace view and the explorer page (both inline their
// script): make an element with text (never markup), write a value on one line, and draw a state
// as nested lists with what changed marked.
export const PAGE_HELPERS_SCRIPT = `
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function isRecord(v) { return typeof v === 'object' && v !== null && !Array.isArray(v); }
  function short(v) {
    if (v === undefined) return '–';
    if (isRecord(v)) {
      var body = Object.keys(v).filter(function (k) { return k !== 'type'; })
        .map(function (k) { return k + '=' + short(v[k]); }).join(' ');
      return v.type === undefined ? '{' + body + '}' : String(v.type) + '(' + body + ')';
    }
    if (Array.isArray(v)) return '[' + v.map(short).join(', ') + ']';
    return typeof v === 'string' ? v : JSON.stringify(v);
  }
  function positional(list) {
    return list.length > 0 && list.every(function (x) { return isRecord(x) && !('type' in x); });
  }
  // A value as nested lists; parts whose path changed at this step are marked, and so is each
  // list element with more copies now than before.
  function render(value, path, changed, before) {
    if (isRecord(value)) {
      var dl = el('dl');
      Object.keys(value).forEach(function (k) {
        var p = path ? path + '.' + k : k;
        dl.appendChild(el('dt', changed.has(p) ? 'changed' : '', k));
        var dd = el('dd');
        dd.appendChild(render(value[k], p, changed, isRecord(before) ? before[k] : undefined));
        dl.appendChild(dd);
      });
      return dl;
    }
    if (Array.isArray(value) && positional(value)) {
      var ol = el('ol');
      ol.start = 0;
      value.forEach(function (x, i) {
        var li = el('li');
        li.appendChild(render(x, path + '[' + i + ']', changed, Array.isArray(before) ? before[i] : undefined));
        ol.appendChild(li);
      });
      return ol;
    }
    if (Array.isArray(value) && value.length > 0) {
      var seen = {};
      (Array.isArray(before) ? before : []).forEach(function (x) { var k = JSON.stringify(x); seen[k] = (seen[k] || 0) + 1; });
      var ul = el('ul');
      value.forEach(function (x) {
        var k = JSON.stringify(x);
        var fresh = !seen[k];
        if (!fresh) seen[k] -= 1;
        ul.appendChild(el('li', fresh && changed.has(path) ? 'changed' : '', short(x)));
      });
      return ul;
    }
    return el('span', changed.has(path) ? 'changed' : '', short(value));
  }`;
