/**
 * The status page's stylesheet, served as /status/style.css so the pages' Content-Security-Policy
 * can forbid inline styles and every script. Plain CSS, system fonts, no assets.
 */
export const STATUS_PAGE_CSS = `
:root {
  --ink: #1c2434; --ink-2: #4a5568; --muted: #6b7689; --line: #e2e6ee; --bg: #f3f5f9; --card: #fff;
  --brand: #16315c; --brand-2: #1f4d8f; --accent: #2b6cd4;
  --ok: #1e7a46; --ok-bg: #e5f5ec; --bad: #b42318; --bad-bg: #fdecea; --warn: #9a5b00; --warn-bg: #fff4df;
  --run: #1f56b3; --run-bg: #e7effc; --new: #4a5568; --new-bg: #edf0f5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: #f1f3f7; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
h1 { font-size: 22px; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 15px; margin: 0 0 12px; font-weight: 650; }
h3 { font-size: 12px; margin: 14px 0 6px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
.muted { color: var(--muted); font-weight: 400; }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }

.topbar { background: linear-gradient(90deg, var(--brand), var(--brand-2)); color: #fff; box-shadow: 0 1px 0 rgba(0,0,0,.08); }
.topbar-inner { display: flex; align-items: center; justify-content: space-between; height: 56px; gap: 16px; }
.brand { color: #fff; display: flex; align-items: center; gap: 10px; font-weight: 650; font-size: 15px; }
.brand:hover { text-decoration: none; }
.mark { width: 22px; height: 22px; border-radius: 6px; background: linear-gradient(135deg, #7fb2ff, #ffffff); box-shadow: inset 0 0 0 5px rgba(22,49,92,.55); }
.brand-sub { font-weight: 400; opacity: .75; padding-left: 10px; border-left: 1px solid rgba(255,255,255,.3); }
.who { display: flex; align-items: center; gap: 12px; font-size: 13px; opacity: .95; }
.who form { margin: 0; }
.role { display: inline-block; font-size: 11px; padding: 1px 7px; border-radius: 999px; background: rgba(255,255,255,.18); text-transform: uppercase; letter-spacing: .04em; }
.btn-link { background: none; border: 1px solid rgba(255,255,255,.45); color: #fff; border-radius: 6px; padding: 4px 10px; font: inherit; cursor: pointer; }
.btn-link:hover { background: rgba(255,255,255,.12); }

main.wrap { padding-top: 24px; padding-bottom: 8px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-bottom: 16px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
.card-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; margin-bottom: 8px; }
.card-head h2 { margin: 0; }
.two { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
.two .card { margin-bottom: 16px; }

.search label { display: block; font-weight: 600; margin-bottom: 8px; }
.search-row { display: flex; gap: 8px; flex-wrap: wrap; }
.search-row input { flex: 1 1 320px; }
.search-row select { flex: 0 0 240px; width: 240px; min-width: 0; }
input, select { font: inherit; color: var(--ink); padding: 8px 11px; border: 1px solid #cdd3de; border-radius: 7px; background: #fff; min-height: 38px; }
input:focus, select:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; border-color: var(--accent); }
.btn { font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 7px; padding: 8px 18px; min-height: 38px; cursor: pointer; }
.btn:hover { background: #225bb8; }
.notice { margin: 12px 0 0; padding: 9px 12px; border-radius: 7px; background: var(--warn-bg); color: var(--warn); }
.notice-bad { background: var(--bad-bg); color: var(--bad); }
.empty { color: var(--muted); margin: 4px 0; }
.more { margin: 12px 0 0; }

.table-scroll { overflow-x: auto; }
table.grid { width: 100%; border-collapse: collapse; }
.grid th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; padding: 8px 10px; border-bottom: 1px solid var(--line); background: #fafbfd; }
.grid td { padding: 10px; border-bottom: 1px solid #eef1f6; vertical-align: middle; }
.grid tbody tr:hover td { background: #f8faff; }
.grid tr.sub td { padding-top: 0; color: var(--ink-2); font-size: 13px; }
.grid tr:last-child td { border-bottom: 0; }
.ticket { font-weight: 600; }

.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge-ok { color: var(--ok); background: var(--ok-bg); }
.badge-bad { color: var(--bad); background: var(--bad-bg); }
.badge-wait { color: var(--warn); background: var(--warn-bg); }
.badge-run { color: var(--run); background: var(--run-bg); }
.badge-new { color: var(--new); background: var(--new-bg); }
.badge-muted { color: var(--muted); background: #f0f1f4; }

.progress { display: inline-flex; align-items: center; gap: 8px; min-width: 150px; }
progress { -webkit-appearance: none; appearance: none; width: 110px; height: 8px; border: 0; border-radius: 999px; background: #e7ebf2; overflow: hidden; }
progress::-webkit-progress-bar { background: #e7ebf2; border-radius: 999px; }
progress::-webkit-progress-value { background: linear-gradient(90deg, #3b82f6, #2563eb); border-radius: 999px; }
progress::-moz-progress-bar { background: #2563eb; border-radius: 999px; }
.pct { font-variant-numeric: tabular-nums; color: var(--ink-2); font-size: 12.5px; min-width: 34px; }
.overall { margin: 10px 0 2px; }
.overall progress { width: 260px; }

.crumbs { margin: 0 0 12px; }
.title-row { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.title-side { display: flex; align-items: center; gap: 12px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 14px 24px; margin: 16px 0 0; }
.fact dt { font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-bottom: 2px; }
.fact dd { margin: 0; overflow-wrap: anywhere; }
.fact-wide { grid-column: span 2; }
@media (max-width: 720px) { .fact-wide { grid-column: auto; } }

.alert { border-left-width: 4px; }
.alert-warn { border-left-color: #e6a23c; }
.alert-bad { border-left-color: var(--bad); }
.alert .explain { font-size: 15px; margin: 0 0 6px; }
.alert .detail { margin: 0 0 6px; color: var(--ink-2); }
.alert p:last-child { margin-bottom: 0; }

.updates, .sent { list-style: none; padding: 0; margin: 0; }
.updates li { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin-bottom: 8px; background: #fbfcfe; }
.updates p { margin: 6px 0 0; white-space: pre-wrap; }
.upd-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.chip { font-size: 12px; padding: 1px 8px; border-radius: 999px; background: var(--run-bg); color: var(--run); font-weight: 600; }
.lbl { display: block; font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.sent li { padding: 4px 0; }
.sent time, .timeline time { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 12.5px; }

.timeline { list-style: none; margin: 0; padding: 0 0 0 18px; border-left: 2px solid var(--line); }
.timeline li { position: relative; padding: 0 0 14px 14px; }
.timeline li::before { content: ""; position: absolute; left: -25px; top: 5px; width: 10px; height: 10px; border-radius: 50%; background: #fff; border: 2px solid var(--accent); }
.timeline li.tl-bad::before { border-color: var(--bad); }
.timeline li.tl-ok::before { border-color: var(--ok); background: var(--ok); }
.timeline li.tl-ops::before { border-color: #e6a23c; background: #e6a23c; }
.timeline .etype { margin-left: 10px; font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--ink-2); background: #f1f3f7; padding: 1px 6px; border-radius: 4px; }
.timeline p { margin: 3px 0 0; white-space: pre-wrap; }

.login { max-width: 440px; margin: 48px auto; padding: 28px; }
.login h1 { margin-bottom: 6px; }
.login form { display: grid; gap: 8px; margin-top: 16px; }
.login label { font-weight: 600; }

.foot { color: var(--muted); font-size: 12px; padding-top: 4px; padding-bottom: 28px; }
@media (max-width: 640px) { .brand-sub { display: none; } .wrap { padding: 0 14px; } }
`;
