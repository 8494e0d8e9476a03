// Traces as the command line works on them: replay through a built system, shrink, read step by
// step, and render as text, Mermaid or HTML. Re-exported from src/trace so that src/cli reaches
// them only through src/api (the library's own `replay(model, trace)` is in replay.ts).
export { replay } from '../trace/replay.ts';
export { DEFAULT_MAX_SHRINK_TESTS, failingPrefix, shrinkTrace } from '../trace/shrink.ts';
export { readTrace, type TraceReading } from '../trace/reading.ts';
export { escapeHtml, renderHtml } from '../trace/render-html.ts';
export { renderMermaid } from '../trace/render-mermaid.ts';
export { PAGE_HELPERS_SCRIPT } from '../trace/page-helpers.ts';
export { renderTimeline } from '../trace/render-text.ts';
