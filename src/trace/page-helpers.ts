// Browser-side helpers shared by the HTML trace view and the explorer page (both inline their
// script): make an element with text (never markup), and write a value on one line.
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
  }`;
