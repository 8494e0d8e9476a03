// The one page of `ordeal explore`: static markup and style; everything the model says arrives as
// JSON from the API and is written by the script (explore-page-script.ts) with textContent only.
// No external request: no fonts, no images but an empty data: icon, no CDN.
import { EXPLORE_SCRIPT } from './explore-page-script.ts';

const escapeAttribute = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
html, body { height: 100%; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1a202c; display: flex; flex-direction: column; }
header { flex: none; padding: 6px 12px; border-bottom: 1px solid #e2e8f0; display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
h1 { font-size: 17px; margin: 0; overflow-wrap: anywhere; }
h2 { font-size: 14px; margin: 8px 0 4px; }
h3 { font-size: 13px; margin: 8px 0 2px; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
button { font: inherit; cursor: pointer; }
#facts, .muted { color: #4a5568; font-size: 12px; }
#error { color: #c53030; font-weight: 600; }
#error:empty { display: none; }
main { flex: 1 1 auto; min-height: 0; display: grid; grid-template-columns: minmax(320px, 1.2fr) minmax(260px, 1fr) minmax(320px, 1.1fr); }
main > section { overflow: auto; padding: 6px 10px; border-right: 1px solid #e2e8f0; min-width: 0; }
.bar { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; font-size: 12px; margin: 4px 0; }
.bar input[type=text] { font: 12px ui-monospace, monospace; width: 16em; }
.bar input[type=number] { width: 7em; }
table { border-collapse: collapse; font: 12px ui-monospace, monospace; width: 100%; }
td { padding: 2px 4px; border-bottom: 1px solid #edf2f7; vertical-align: top; }
th { font-size: 11px; font-weight: 600; text-align: center; position: sticky; top: 0; background: #fff; overflow-wrap: anywhere; max-width: 7em; }
tr.step { cursor: pointer; }
tr.step:hover { background: #f7fafc; }
tr.step.current { background: #bee3f8; }
tr.step.future { color: #718096; }
tr.step.broken td.description { color: #c53030; font-weight: 700; }
tr.group td { color: #2c5282; font-style: italic; }
td.lane { text-align: center; color: #2b6cb0; min-width: 1.6em; }
td.lane.here { font-weight: 700; }
td.num { color: #718096; text-align: right; }
td.watch { color: #553c9a; overflow-wrap: anywhere; }
#events ul { list-style: none; margin: 0; padding: 0; }
#events button.event { display: block; width: 100%; text-align: left; font: 12px ui-monospace, monospace; margin: 1px 0; padding: 3px 6px; border: 1px solid #cbd5e0; border-radius: 4px; background: #fff; overflow-wrap: anywhere; }
#events button.event:hover { background: #ebf8ff; }
#events button.event.next { border-color: #2b6cb0; border-width: 2px; }
#properties { list-style: none; margin: 0; padding: 0; font-size: 12px; }
#properties li { padding: 2px 4px; margin: 1px 0; border-radius: 3px; overflow-wrap: anywhere; }
#properties li.holds { background: #f0fff4; }
#properties li.broken { background: #fff5f5; color: #c53030; font-weight: 600; }
#properties li.unreached { background: #fffff0; }
#changes { margin: 0 0 6px; padding-left: 18px; font: 12px ui-monospace, monospace; overflow-wrap: anywhere; }
#state dl { margin: 0 0 0 12px; display: grid; grid-template-columns: max-content 1fr; column-gap: 8px; }
#state dt { font: 12px ui-monospace, monospace; color: #4a5568; }
#state dd { margin: 0; font: 12px ui-monospace, monospace; overflow-wrap: anywhere; }
#state ul, #state ol { margin: 0; padding-left: 18px; }
#state li { font: 12px ui-monospace, monospace; }
#state section { border-top: 1px solid #edf2f7; }
.changed { background: #fff1a8; }
#watches { list-style: none; padding: 0; margin: 2px 0; font: 12px ui-monospace, monospace; }
#watches li { display: flex; gap: 6px; align-items: baseline; overflow-wrap: anywhere; }
#bfs-progress { font: 12px ui-monospace, monospace; color: #2c5282; }
`;

export function explorePage(input: { nonce: string; token: string; title: string; canSave: boolean }): string {
  const nonce = escapeAttribute(input.nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="ordeal-token" content="${escapeAttribute(input.token)}">
<link rel="icon" href="data:,">
<title>${escapeAttribute(`ordeal explore: ${input.title}`)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
<h1 id="title"></h1><span id="facts"></span>
<button id="back" title="back one step (←)">◀ back</button>
<span id="position"></span>
<button id="forward" title="forward along the path (→)">forward ▶</button>
<span id="verdict"></span>
<span id="error" role="alert"></span>
</header>
<main>
<section id="history-pane">
<h2>Path</h2>
<div class="bar">
<label>node <select id="filter-node"><option value="">all</option></select></label>
<label>type <select id="filter-type"><option value="">all</option></select></label>
<label>collapse <select id="collapse"><option value="">nothing</option><option value="pair">runs of one type between the same nodes</option><option value="type">runs of one message type</option></select></label>
</div>
<div class="bar">
<input type="text" id="watch-input" placeholder="watch: nodes.*.volatile.role" aria-label="watch expression">
<button id="watch-add">watch</button>
</div>
<ul id="watches"></ul>
<table id="history"><thead></thead><tbody></tbody></table>
</section>
<section id="events-pane">
<h2>Enabled events <span class="muted" id="event-count"></span></h2>
<div id="events"></div>
<h2>Search from this state</h2>
<div class="bar">
<label>states <input type="number" id="bfs-states" min="1" value="100000"></label>
<label>depth <input type="number" id="bfs-depth" min="1" value="40"></label>
<button id="bfs-run">BFS from here</button>
</div>
<div id="bfs-progress"></div>
<h2>Save the path to here</h2>
<div class="bar">
<a id="download" href="/api/trace" download>download trace</a>
${input.canSave ? '<input type="text" id="save-name" value="explored" aria-label="file name"><button id="save">save in --out</button>' : '<span class="muted">start with --out FOLDER to save on disk</span>'}
</div>
<div id="save-status" class="muted"></div>
<h2>Open a trace</h2>
<div class="bar"><input type="file" id="load-file" accept=".json,application/json"></div>
</section>
<section id="state-pane">
<h2>Properties here</h2>
<ul id="properties"></ul>
<h2 id="step-title"></h2>
<ul id="changes"></ul>
<div id="state"></div>
</section>
</main>
<script nonce="${nonce}">${EXPLORE_SCRIPT}</script>
</body>
</html>
`;
}
