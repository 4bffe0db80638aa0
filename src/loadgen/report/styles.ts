// The report's stylesheet: light theme, one column up to 1240 px so it reads well on a 1280 px screen.

/** CSS of the report page (uPlot's own stylesheet is inlined separately). */
export const REPORT_CSS = `
:root { --fg:#0f172a; --muted:#64748b; --line:#e2e8f0; --bg:#f8fafc; --card:#fff; --pass:#15803d; --pass-bg:#dcfce7; --fail:#b91c1c; --fail-bg:#fee2e2;
  --p50:#2563eb; --p99:#ea580c; --ttlt:#7c3aed; --msgs:#059669; --err:#dc2626; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
main { max-width:1240px; margin:0 auto; padding:24px 20px 48px; }
h1 { font-size:22px; margin:0; }
h2 { font-size:17px; margin:0 0 4px; }
p.caption { color:var(--muted); margin:0 0 12px; max-width:900px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 20px; margin-top:18px; }
header.card { margin-top:0; }
.title-row { display:flex; align-items:baseline; gap:12px; flex-wrap:wrap; }
.title-row .profile { font-size:16px; color:var(--muted); }
.meta { display:grid; grid-template-columns:repeat(auto-fit,minmax(170px,1fr)); gap:10px 18px; margin:14px 0 0; }
.meta dt { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.meta dd { margin:2px 0 0; font-weight:600; overflow-wrap:anywhere; }
.meta.options dt { text-transform:none; letter-spacing:0; font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
.meta .wide { grid-column:1/-1; }
.meta ul { margin:0; padding:0; list-style:none; }
.verdict { display:flex; align-items:center; gap:18px; border-radius:10px; padding:14px 20px; margin-top:16px; }
.verdict.pass { background:var(--pass-bg); color:var(--pass); border:1px solid #86efac; }
.verdict.fail { background:var(--fail-bg); color:var(--fail); border:1px solid #fca5a5; }
.verdict .word { font-size:40px; font-weight:800; letter-spacing:.06em; }
.verdict .summary { font-size:15px; font-weight:600; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:middle; }
th { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td code, dd code { font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; overflow-wrap:anywhere; }
.held { color:var(--pass); font-weight:700; }
.missed { color:var(--fail); font-weight:700; }
tr.missed-row { background:#fef2f2; }
.gauge { position:relative; height:10px; background:#f1f5f9; border-radius:5px; min-width:140px; }
.gauge .fill { position:absolute; left:0; top:0; bottom:0; border-radius:5px; }
.gauge .fill.ok { background:#4ade80; } .gauge .fill.bad { background:#f87171; }
.gauge .mark { position:absolute; left:50%; top:-3px; bottom:-3px; width:2px; background:#334155; }
.tiles { display:grid; grid-template-columns:repeat(auto-fit,minmax(160px,1fr)); gap:12px; margin-top:18px; }
.tile { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; border-top:4px solid #94a3b8; }
.tile.bad { border-top-color:var(--fail); } .tile.good { border-top-color:var(--pass); }
.tile .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.tile .value { font-size:26px; font-weight:750; margin-top:2px; font-variant-numeric:tabular-nums; white-space:nowrap; }
.tile .sub { color:var(--muted); font-size:12px; }
.plot { width:100%; min-height:120px; }
.grid2 { display:grid; grid-template-columns:minmax(0,1fr) minmax(0,1fr); gap:18px; }
@media (max-width: 900px) { .grid2 { grid-template-columns:1fr; } }
.bar-cell { display:flex; align-items:center; gap:8px; justify-content:flex-end; }
.bar-cell .bar { height:8px; border-radius:4px; background:#cbd5e1; flex:0 0 auto; }
.bar-track { width:90px; display:flex; justify-content:flex-start; }
th .sub { text-transform:none; letter-spacing:0; font-weight:400; }
table.omission .bar-track { width:70px; }
.bar.msgs { background:var(--msgs); } .bar.p50 { background:var(--p50); } .bar.p99 { background:var(--p99); }
.bar.ttlt { background:var(--ttlt); } .bar.err { background:var(--err); }
.hbars { display:grid; grid-template-columns:minmax(120px,auto) 1fr auto; gap:8px 12px; align-items:center; }
.hbars .track { background:#f1f5f9; height:14px; border-radius:7px; overflow:hidden; }
.hbars .track > span { display:block; height:100%; border-radius:7px; }
.legend-inline { display:flex; gap:16px; color:var(--muted); font-size:12px; margin-bottom:8px; flex-wrap:wrap; }
.swatch { display:inline-block; width:12px; height:4px; border-radius:2px; vertical-align:middle; margin-right:5px; }
.swatch.dash { background:repeating-linear-gradient(90deg,currentColor 0 5px,transparent 5px 8px); height:2px; }
.swatch.band { height:10px; width:14px; background:rgba(100,116,139,.15); }
.muted { color:var(--muted); }
.empty { color:var(--muted); font-style:italic; }
footer { color:var(--muted); font-size:12px; margin-top:24px; text-align:center; }
.u-legend { font-size:12px; width:auto; }
.u-legend th, .u-legend td { border-bottom:0; text-transform:none; letter-spacing:0; padding:2px 6px; color:var(--fg); font-size:12px; }
`;
