"""Styles of the report (screen and print) and the small script that fits charts to paper.

System fonts only: the report must not load anything.
"""

CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee3; --band: #f5f7f9;
  --accent: #0b6e8a; --warm: #c2410c; --cold: #1d4ed8; --ok: #166534; --bad: #b91c1c;
  --wait: #a16207; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); background: #fff; font-size: 15px; line-height: 1.45; }
body { margin: 0 auto; max-width: 1180px; padding: 1.5rem 2rem 3rem; }
header h1 { margin: 0 0 .3rem; font-size: 1.8rem; color: var(--accent); }
header .lead { margin: .2rem 0 .6rem; max-width: 60rem; }
header .meta { color: var(--muted); font-size: .85rem; margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: .6rem 1rem; margin: 1rem 0;
  list-style: none; background: var(--band); border-radius: 6px; font-size: .9rem; }
nav li.missing a { color: var(--muted); }
a { color: var(--accent); }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem;
  margin: 2.2rem 0 .8rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
section.missing h2 { color: var(--muted); border-bottom-color: var(--line); }
p.note { color: var(--muted); font-style: italic; margin: .4rem 0; }
p.error { color: var(--bad); margin: .4rem 0; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: .4rem 0 1rem; }
table.data { border-collapse: collapse; font-size: .88rem; min-width: 40%; max-width: 100%; }
table.data.kv { table-layout: fixed; width: min(100%, 46rem); }
table.data.kv th:nth-child(1) { width: 55%; }
table.data.kv th:nth-child(2) { width: 30%; }
table.data caption { text-align: left; font-weight: 600; padding: .2rem 0 .4rem; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: .28rem .6rem;
  text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word;
  hyphens: auto; }
table.data th { background: var(--band); font-weight: 600; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.num { white-space: nowrap; }
table.data.total-last tbody tr:last-child td { font-weight: 700; border-top: 2px solid var(--ink); }
table.data tbody tr:hover { background: #eef6f8; }
table.data td:first-child { min-width: 6rem; }
details.file > summary { cursor: pointer; }
details.file > summary h3 { display: inline; }
details.file { margin: .8rem 0; }
p.verdict { font-size: 1.05rem; font-weight: 600; max-width: 60rem; }
section#decision { background: var(--band); border-radius: 8px; padding: .2rem 1rem .6rem; }
section#decision table.data th { background: #fff; }
@media (max-width: 900px) {
  body { padding: 1rem; }
  table.data { font-size: .8rem; }
  table.data th, table.data td { padding: .22rem .35rem; }
  table.data td.num { white-space: normal; }
}
table.plain td.num { text-align: left; }
code { font-size: .85em; background: var(--band); padding: 0 .25em; border-radius: 3px; }
.small { color: var(--muted); font-size: .8em; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 9px; font-size: .8rem;
  font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge-ok, .badge-resolved, .badge-yes { color: var(--ok); }
.badge-bad, .badge-open, .badge-no { color: var(--bad); }
.badge-in_progress { color: var(--wait); }
.badge-accepted, .badge-neutral { color: var(--muted); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
  gap: .6rem; margin: .6rem 0 1rem; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; }
.figure .value { font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); font-size: .8rem; }
.chart { width: 100%; min-height: 360px; margin: .4rem 0 1rem; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 800px) { .grid2 { grid-template-columns: 1fr; } }
table.matrix { border-collapse: separate; border-spacing: 4px; font-size: .85rem; }
table.matrix th { color: var(--muted); font-weight: 600; padding: .2rem .4rem; }
table.matrix th.axis { writing-mode: vertical-rl; transform: rotate(180deg); }
table.matrix td { width: 15rem; height: 5.5rem; vertical-align: top; padding: .35rem .5rem;
  background: var(--band); border-radius: 6px; }
table.matrix td.key { background: #d8eef3; }
table.matrix td span.quadrant { display: block; color: var(--muted); font-size: .72rem;
  text-transform: uppercase; letter-spacing: .04em; }
table.matrix ul { margin: .2rem 0 0; padding-left: 1rem; }
figure.map { margin: .5rem 0 1rem; }
figure.map svg { width: 100%; height: auto; max-height: 640px; border: 1px solid var(--line);
  border-radius: 6px; background: #fbfcfd; }
figure.map figcaption, figure.chart-fig figcaption { color: var(--muted); font-size: .82rem; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  nav, .modebar-container, .no-print { display: none !important; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.2rem; }
  h3 { break-after: avoid; page-break-after: avoid; }
  table.data, figure, .chart, .figures, table.matrix { break-inside: avoid;
    page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  details::details-content { content-visibility: visible; }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
  section#decision { background: none; padding: 0; break-after: page; page-break-after: always; }
  p.verdict { font-size: 11pt; }
  table.data { font-size: 8pt; }
  table.data th, table.data td { padding: .12rem .3rem; }
  table.data td:first-child { min-width: 0; }
  .figures { grid-template-columns: repeat(4, 1fr); }
  figure.map svg { max-height: 170mm; }
  table.data tbody tr:hover { background: none; }
  .grid2 { grid-template-columns: 1fr 1fr; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

#: Charts are drawn for the screen width; before printing they are redrawn at paper width.
PRINT_SCRIPT = """
(function () {
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (el) { el.open = true; });
  });
  function charts() { return Array.prototype.slice.call(
    document.querySelectorAll('.chart.js-plotly-plot')); }
  window.addEventListener('beforeprint', function () {
    if (!window.Plotly) { return; }
    charts().forEach(function (el) {
      var half = el.closest('.grid2') !== null;
      window.Plotly.relayout(el, {width: half ? 330 : 690});
    });
  });
  window.addEventListener('afterprint', function () {
    if (!window.Plotly) { return; }
    charts().forEach(function (el) {
      window.Plotly.relayout(el, {width: null, autosize: true});
      window.Plotly.Plots.resize(el);
    });
  });
})();
"""
