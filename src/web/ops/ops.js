// MangaAssist operations page: polls /v1/ops/summary and /v1/ops/tickets with the operator
// credential and draws them with uPlot (window.uPlot, loaded before this module) and plain DOM.
// Customer text is untrusted: every value reaches the page through textContent or attribute
// setters, never innerHTML.

/* global uPlot */

// sessionStorage: the credential dies with the tab, so a shared screen does not keep it.
const STORAGE_TOKEN = 'mangaassist.ops.token';
const STORAGE_OPERATOR = 'mangaassist.ops.operator';
const STORAGE_WINDOW = 'mangaassist.ops.windowMs';
const POLL_MS = 2000;
const STALE_AFTER_MS = 10_000;
const CLOSE_CONFIRM_MS = 5000;
const CHART_HEIGHT = 190;
/** What a value that cannot be computed shows: a gap, never a misleading 0. */
const DASH = '–';

const INK_SOFT = '#4a5468';
const GRID = '#e8e2d8';
// Distinguishable on white with at least 3:1 contrast, in an order where neighbours differ in hue.
const PALETTE = ['#1f6feb', '#c0392b', '#1e7a3c', '#b45309', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f', '#1f2a44', '#9a3412', '#6d28d9', '#0f766e'];

// ---------- formatting ----------

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const sigFmt = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const pctFmt = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 2 });
const clockFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
// Axis labels are 24-hour: "AM"/"PM" would not fit between ticks.
const axisClockFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const axisMinuteFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const fmtCount = (v) => (isNum(v) ? intFmt.format(v) : DASH);
const fmtRate = (v) => (isNum(v) ? (Math.abs(v) >= 100 ? intFmt.format(v) : decFmt.format(v)) : DASH);
const fmtPct = (v) => (isNum(v) ? pctFmt.format(v) : DASH);
const fmtNum = (v) => (isNum(v) ? sigFmt.format(v) : DASH);
const fmtMs = (v) => {
  if (!isNum(v)) return DASH;
  return Math.abs(v) < 1000 ? `${intFmt.format(v)} ms` : `${decFmt.format(v / 1000)} s`;
};
/** Value with a unit, or the dash alone (a unit after "–" reads like a measurement). */
const withUnit = (v, fmt, unit) => (isNum(v) ? `${fmt(v)} ${unit}` : DASH);

function fmtAge(ms) {
  if (!isNum(ms)) return DASH;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

/** The newest point of a series (null when there is none). */
const latest = (values) => (Array.isArray(values) && values.length ? values[values.length - 1] : null);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** Small element factory: text always goes through textContent. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A table row of plain cells; the first may be a row header. */
function row(cells, { header = true } = {}) {
  const tr = el('tr');
  cells.forEach((cell, i) => {
    const td = el(i === 0 && header ? 'th' : 'td', cell.className, cell.node ? undefined : cell.text);
    if (i === 0 && header) td.scope = 'row';
    if (cell.node) td.append(cell.node);
    tr.append(td);
  });
  return tr;
}

function emptyRow(columns, text) {
  const tr = el('tr', 'empty-row');
  const td = el('td', 'muted', text);
  td.colSpan = columns;
  tr.append(td);
  return tr;
}

/** A horizontal bar (visual only: the number next to it carries the information). */
function meter(ratio, level) {
  const track = el('span', 'meter');
  track.setAttribute('aria-hidden', 'true');
  const fill = el('span', 'meter-fill');
  fill.style.width = `${Math.max(0, Math.min(1, isNum(ratio) ? ratio : 0)) * 100}%`;
  if (level) track.dataset.level = level;
  track.append(fill);
  return track;
}

/** Sets text only when it changed: rewriting an alert region makes screen readers repeat it. */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

const $ = (id) => document.getElementById(id);

const els = {
  nav: $('ops-nav'),
  tools: $('header-tools'),
  windowPick: $('window'),
  live: $('live'),
  liveLabel: $('live-label'),
  signOut: $('sign-out'),
  main: $('main'),
  signin: $('signin'),
  signinForm: $('signin-form'),
  token: $('token'),
  signinError: $('signin-error'),
  signinSubmit: $('signin-submit'),
  dashboard: $('dashboard'),
  banner: $('banner'),
  kpis: $('kpis'),
  alarmRows: $('alarm-rows'),
  alarmsNote: $('alarms-note'),
  navAlarms: $('nav-alarms'),
  navTickets: $('nav-tickets'),
  chartGrid: $('chart-grid'),
  chartsNote: $('charts-note'),
  intents: $('intents'),
  outcomes: $('outcomes'),
  errors: $('errors'),
  segments: $('segments'),
  breakers: $('breakers'),
  caches: $('caches'),
  pools: $('pools'),
  tokens: $('tokens'),
  capacity: $('capacity'),
  guardrail: $('guardrail'),
  announcer: $('announcer'),
  ticketList: $('ticket-list'),
  ticketsNote: $('tickets-note'),
  ticketEmpty: $('ticket-empty'),
  ticketView: $('ticket-view'),
  ticketTitle: $('ticket-title'),
  ticketMeta: $('ticket-meta'),
  ticketPresence: $('ticket-presence'),
  ticketThread: $('ticket-thread'),
  ticketConversation: $('ticket-conversation'),
  replyForm: $('reply-form'),
  operatorName: $('operator-name'),
  replyText: $('reply-text'),
  replySend: $('reply-send'),
  ticketClose: $('ticket-close'),
  replyStatus: $('reply-status'),
  replyError: $('reply-error'),
};

const state = {
  token: sessionStorage.getItem(STORAGE_TOKEN) ?? '',
  /** Bumped on every sign-in and sign-out: answers of an older session are dropped. */
  generation: 0,
  wake: null,
  lastOk: 0,
  charts: new Map(),
  alarmStates: new Map(),
  ticketsSignature: '',
  selected: null,
  detail: null,
  detailSignature: '',
  closeArmedUntil: 0,
};

// ---------- API ----------

/** The credential was refused: back to the sign-in form. */
class AuthError extends Error {}

/** A refusal in the API's `{code, message}` shape (or a network failure). */
class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${state.token}`, accept: 'application/json' };
  const init = { method, headers, cache: 'no-store' };
  // No body, no content type: a JSON content type with an empty body is refused by the server.
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError('network', 'The service did not answer. Check the network or whether it is running.');
  }
  let data = null;
  try { data = await res.json(); } catch { /* an HTML error page from a proxy: the status says enough */ }
  if (res.status === 401) throw new AuthError(typeof data?.message === 'string' ? data.message : 'unauthorized');
  if (!res.ok) {
    throw new ApiError(typeof data?.code === 'string' ? data.code : `http_${res.status}`,
      typeof data?.message === 'string' ? data.message : `The service answered HTTP ${res.status}.`);
  }
  return data;
}

const windowMs = () => Number(els.windowPick.value);
const summaryPath = () => `/v1/ops/summary?windowMs=${windowMs()}`;
const TICKETS_PATH = '/v1/ops/tickets?status=open,answered&limit=50';
const ticketPath = (id, action = '') => `/v1/ops/tickets/${encodeURIComponent(id)}${action}`;

// ---------- sign-in ----------

function showSignIn(message) {
  els.dashboard.hidden = true;
  els.nav.hidden = true;
  els.tools.hidden = true;
  els.signin.hidden = false;
  els.signinError.textContent = message ?? '';
  els.token.value = '';
  els.token.setAttribute('aria-invalid', message ? 'true' : 'false');
  els.token.focus();
}

function showDashboard() {
  els.signin.hidden = true;
  els.dashboard.hidden = false;
  els.nav.hidden = false;
  els.tools.hidden = false;
}

function signOut(message) {
  state.generation++;
  state.token = '';
  sessionStorage.removeItem(STORAGE_TOKEN);
  wakePoll();
  resetDashboard();
  showSignIn(message);
}

const REFUSED = 'The operator credential was not accepted. Check it and sign in again.';

els.signinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = els.token.value.trim();
  if (!token) return;
  els.signinSubmit.disabled = true;
  els.signinError.textContent = '';
  state.token = token;
  const gen = ++state.generation;
  try {
    // The credential is checked with the first summary, so a wrong one never shows the dashboard.
    const summary = await api(summaryPath());
    if (gen !== state.generation) return;
    sessionStorage.setItem(STORAGE_TOKEN, token);
    showDashboard();
    els.main.focus();
    renderSummary(summary);
    void pollLoop(gen);
  } catch (error) {
    if (gen !== state.generation) return;
    state.token = '';
    showSignIn(error instanceof AuthError ? REFUSED : error.message);
  } finally {
    els.signinSubmit.disabled = false;
  }
});

els.signOut.addEventListener('click', () => signOut(''));

// ---------- polling ----------

function wakePoll() {
  state.wake?.();
}

/** Waits `ms`, or less when something asks for fresh data (window change, a reply sent). */
function nap(ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      state.wake = null;
      resolve();
    }
    state.wake = done;
  });
}

async function pollLoop(gen) {
  while (gen === state.generation) {
    // A hidden tab does not need fresh charts; the service should not pay for it.
    if (document.hidden) {
      await new Promise((resolve) => document.addEventListener('visibilitychange', resolve, { once: true }));
      continue;
    }
    await pollOnce(gen);
    if (gen !== state.generation) return;
    await nap(POLL_MS);
  }
}

async function pollOnce(gen) {
  const selected = state.selected;
  const [summary, tickets, detail] = await Promise.allSettled([
    api(summaryPath()),
    api(TICKETS_PATH),
    selected ? api(ticketPath(selected)) : Promise.resolve(null),
  ]);
  if (gen !== state.generation) return;
  if ([summary, tickets, detail].some((r) => r.status === 'rejected' && r.reason instanceof AuthError)) {
    signOut('The operator credential is no longer accepted (it may have been rotated). Sign in again.');
    return;
  }
  // A shape the page does not understand must not end the polling loop: it is reported and retried.
  try {
    if (summary.status === 'fulfilled') renderSummary(summary.value);
    else setLive('error', summary.reason.message);
    if (tickets.status === 'fulfilled') renderTickets(tickets.value?.tickets ?? []);
    if (selected && selected === state.selected) {
      if (detail.status === 'fulfilled') renderDetail(detail.value);
      else showReplyError(detail.reason.message);
    }
  } catch (error) {
    console.error('ops page: could not draw an answer', error);
    setLive('error', `An answer could not be drawn (${error.message}).`);
  }
}

function setLive(kind, message) {
  els.live.dataset.state = kind;
  if (kind === 'live') {
    els.liveLabel.textContent = `Live · ${clockFmt.format(state.lastOk)}`;
    if (!els.banner.hidden) announce('The dashboard is receiving data again.');
    els.banner.hidden = true;
    els.dashboard.removeAttribute('data-stale');
    return;
  }
  if (kind === 'connecting') {
    els.liveLabel.textContent = 'Connecting…';
    return;
  }
  els.liveLabel.textContent = 'Retrying…';
  if (!state.lastOk) {
    els.banner.hidden = false;
    setText(els.banner, `No data yet: ${message}`);
    return;
  }
  // A blip is retried quietly; only data old enough to mislead gets a banner.
  if (Date.now() - state.lastOk > STALE_AFTER_MS) {
    els.dashboard.dataset.stale = 'true';
    els.banner.hidden = false;
    setText(els.banner, `The figures are from ${clockFmt.format(state.lastOk)} and not updating: ${message}`);
  }
}

function announce(text) {
  els.announcer.textContent = text;
}

// ---------- summary ----------

function renderSummary(summary) {
  const now = summary?.now ?? {};
  state.lastOk = Date.now();
  setLive('live');
  els.chartsNote.textContent = `point every ${fmtAge(summary.stepMs)} · figures over the last ${fmtAge(summary.windowMs)}`;
  renderKpis(now, summary.alarms ?? []);
  renderAlarms(summary.alarms ?? []);
  renderCharts(summary);
  renderBars(els.intents, now.intents, 'No messages in the window.');
  renderBars(els.outcomes, now.outcomes, 'No messages in the window.', (name) => name);
  renderErrors(now.errorsByCode ?? {});
  renderSegments(now.segments ?? []);
  renderBreakers(now.breakers ?? []);
  renderCaches(now.caches ?? []);
  renderPools(now.pools ?? []);
  renderTokens(now.tokens ?? []);
  renderCapacity(now.openChats, now.openChatsCapacity);
  renderGuardrail(now.guardrail ?? {});
}

function renderKpis(now, alarms) {
  const firing = alarms.filter((a) => a.state === 'firing').length;
  const ft = now.firstTokenMs ?? {};
  const tiles = [
    ['Messages', withUnit(now.messagesPerSec, fmtRate, '/s'), 'customer messages'],
    ['Error rate', fmtPct(now.errorRatio), 'failed, unanswered, interrupted'],
    ['Escalations', fmtPct(now.escalationRatio), 'messages that asked for a human'],
    ['First token p50', fmtMs(ft.p50), `p95 ${fmtMs(ft.p95)} · p99 ${fmtMs(ft.p99)}`],
    ['Open chats', fmtCount(now.openChats), `of ${fmtCount(now.openChatsCapacity)} provisioned`],
    ['Alarms firing', String(firing), firing ? 'see the alarm table' : 'all clear', firing ? 'bad' : 'ok'],
  ];
  els.kpis.replaceChildren(...tiles.map(([label, value, sub, level]) => {
    const tile = el('div', 'kpi');
    if (level) tile.dataset.level = level;
    tile.append(el('span', 'kpi-label', label), el('span', 'kpi-value', value), el('span', 'kpi-sub', sub));
    return tile;
  }));
}

const ALARM_ORDER = { firing: 0, pending: 1, ok: 2 };

function renderAlarms(alarms) {
  const sorted = [...alarms].sort((a, b) => (ALARM_ORDER[a.state] ?? 3) - (ALARM_ORDER[b.state] ?? 3));
  const now = Date.now();
  const rows = sorted.map((alarm) => {
    const tr = el('tr', `alarm alarm-${alarm.state}`);
    tr.setAttribute('data-testid', `alarm-${alarm.name}`);
    tr.dataset.state = alarm.state;
    const badge = el('span', `badge badge-${alarm.state}`, alarm.state === 'firing' ? 'FIRING' : alarm.state);
    const stateCell = el('td');
    stateCell.append(badge);
    const nameCell = el('th');
    nameCell.scope = 'row';
    nameCell.append(el('span', 'alarm-name', alarm.name), el('span', 'alarm-summary', alarm.summary));
    if (alarm.subjects?.length) nameCell.append(el('span', 'alarm-subjects', alarm.subjects.join(', ')));
    const since = el('td', 'nowrap', isNum(alarm.since) ? fmtAge(now - alarm.since) : DASH);
    if (isNum(alarm.since)) since.title = dateFmt.format(alarm.since);
    tr.append(stateCell, nameCell, el('td', 'nowrap', alarm.severity), el('td', 'num', fmtNum(alarm.value)),
      el('td', 'num', fmtNum(alarm.threshold)), since, el('td', 'alarm-action', alarm.action));
    return tr;
  });
  els.alarmRows.replaceChildren(...(rows.length ? rows : [emptyRow(7, 'No alarms are configured.')]));

  const firing = sorted.filter((a) => a.state === 'firing');
  const pending = sorted.filter((a) => a.state === 'pending').length;
  els.alarmsNote.textContent = `${firing.length} firing · ${pending} pending · ${sorted.length - firing.length - pending} ok`;
  els.navAlarms.textContent = firing.length ? String(firing.length) : '';
  els.navAlarms.dataset.level = firing.length ? 'bad' : '';
  document.title = firing.length ? `(${firing.length} firing) MangaAssist Operations` : 'MangaAssist Operations';

  const newlyFiring = firing.filter((a) => state.alarmStates.get(a.name) !== 'firing').map((a) => a.name);
  const cleared = sorted.filter((a) => a.state === 'ok' && state.alarmStates.get(a.name) === 'firing').map((a) => a.name);
  if (newlyFiring.length || cleared.length) {
    announce([newlyFiring.length ? `Alarm firing: ${newlyFiring.join(', ')}.` : '', cleared.length ? `Alarm cleared: ${cleared.join(', ')}.` : ''].join(' ').trim());
  }
  state.alarmStates = new Map(sorted.map((a) => [a.name, a.state]));
}

// ---------- charts ----------

/** A y range from 0 that stays readable when every point is null (no traffic yet). */
const fromZero = (floor) => (_u, _min, max) => [0, isNum(max) && max > 0 ? max * 1.1 : floor];

const CHARTS = [
  {
    id: 'volume', title: 'Message volume', fmt: (v) => withUnit(v, fmtRate, '/s'), axis: fmtRate, floor: 1,
    now: (s) => withUnit(s.now?.messagesPerSec, fmtRate, 'msg/s'),
    lines: (x) => [{ label: 'messages/s', data: x.messagesPerSec, color: PALETTE[0], fill: 'rgba(31,111,235,0.08)' }],
  },
  {
    id: 'latency', title: 'Latency', fmt: fmtMs, axis: fmtMs, floor: 100,
    now: (s) => `first token p95 ${fmtMs(s.now?.firstTokenMs?.p95)}`,
    lines: (x) => [
      { label: 'first token p50', data: x.firstTokenMs?.p50, color: PALETTE[2] },
      { label: 'first token p95', data: x.firstTokenMs?.p95, color: PALETTE[3] },
      { label: 'first token p99', data: x.firstTokenMs?.p99, color: PALETTE[1] },
      { label: 'reply p95', data: x.replyMs?.p95, color: PALETTE[8], dash: [6, 4] },
    ],
  },
  {
    id: 'segments', title: 'Segment p95', fmt: fmtMs, axis: fmtMs, floor: 100,
    now: (s) => (isNum(s.now?.segments?.[0]?.p95Ms) ? `slowest: ${s.now.segments[0].segment}` : ''),
    // Sorted by name so a segment keeps its colour from one poll to the next.
    lines: (x) => Object.keys(x.segmentP95Ms ?? {}).sort().map((name, i) => ({ label: name, data: x.segmentP95Ms[name], color: PALETTE[i % PALETTE.length] })),
  },
  {
    id: 'errors', title: 'Error rate', fmt: fmtPct, axis: fmtPct, floor: 0.05,
    now: (s) => fmtPct(s.now?.errorRatio),
    lines: (x) => [{ label: 'error ratio', data: x.errorRatio, color: PALETTE[1], fill: 'rgba(192,57,43,0.08)' }],
  },
  {
    id: 'tokens', title: 'Token usage', fmt: (v) => withUnit(v, fmtRate, '/s'), axis: fmtRate, floor: 10,
    now: (s) => `in ${withUnit(latest(s.series?.tokensPerSec?.input), fmtRate, '/s')} · out ${withUnit(latest(s.series?.tokensPerSec?.output), fmtRate, '/s')}`,
    lines: (x) => [
      { label: 'input tokens/s', data: x.tokensPerSec?.input, color: PALETTE[0] },
      { label: 'output tokens/s', data: x.tokensPerSec?.output, color: PALETTE[4] },
    ],
  },
  {
    id: 'escalations', title: 'Escalation rate', fmt: fmtPct, axis: fmtPct, floor: 0.05,
    now: (s) => fmtPct(s.now?.escalationRatio),
    lines: (x) => [{ label: 'escalation ratio', data: x.escalationRatio, color: PALETTE[6] }],
  },
  {
    // The axis keeps decimals: a small scale has ticks at 2.5 and 7.5, which rounding would mislabel.
    id: 'open-chats', title: 'Open chats', fmt: fmtCount, axis: fmtRate, floor: 10,
    now: (s) => `${fmtCount(s.now?.openChats)} of ${fmtCount(s.now?.openChatsCapacity)}`,
    lines: (x) => [{ label: 'open chats', data: x.openChats, color: PALETTE[5], fill: 'rgba(14,116,144,0.08)' }],
  },
];

const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const chart = [...state.charts.values()].find((c) => c.box === entry.target);
    const width = Math.floor(entry.contentRect.width);
    if (chart?.plot && width > 0 && width !== chart.plot.width) chart.plot.setSize({ width, height: CHART_HEIGHT });
  }
});

function ensureChartFrames() {
  if (state.charts.size) return;
  for (const def of CHARTS) {
    const figure = el('figure', 'chart');
    figure.dataset.chart = def.id;
    const caption = el('figcaption');
    const nowText = el('span', 'chart-now');
    caption.append(el('h3', undefined, def.title), nowText);
    const box = el('div', 'chart-plot');
    figure.append(caption, box);
    els.chartGrid.append(figure);
    resizer.observe(box);
    state.charts.set(def.id, { def, box, nowText, plot: null, key: '' });
  }
}

/** Every series as long as `times` (a short or missing one would make uPlot misdraw). */
function aligned(data, length) {
  const out = new Array(length);
  for (let i = 0; i < length; i++) out[i] = isNum(data?.[i]) ? data[i] : null;
  return out;
}

function renderCharts(summary) {
  ensureChartFrames();
  const series = summary.series ?? {};
  const times = Array.isArray(series.times) ? series.times : [];
  for (const chart of state.charts.values()) {
    const { def } = chart;
    chart.nowText.textContent = def.now(summary);
    const lines = def.lines(series);
    const data = [times.map((t) => t / 1000), ...lines.map((line) => aligned(line.data, times.length))];
    const key = lines.map((line) => line.label).join('\n');
    if (chart.plot && chart.key === key) {
      chart.plot.setData(data);
      continue;
    }
    // A new set of lines (a segment seen for the first time) needs a new chart.
    chart.plot?.destroy();
    chart.key = key;
    chart.plot = new uPlot(chartOptions(def, lines, Math.max(Math.floor(chart.box.clientWidth), 240)), data, chart.box);
  }
}

function chartOptions(def, lines, width) {
  const axis = { stroke: INK_SOFT, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 }, font: '12px system-ui, sans-serif' };
  return {
    width,
    height: CHART_HEIGHT,
    scales: { x: { time: true }, y: { range: fromZero(def.floor) } },
    series: [
      { value: (u, v, _s, idx) => { const t = idx == null ? latest(u.data[0]) : v; return isNum(t) ? clockFmt.format(t * 1000) : DASH; } },
      ...lines.map((line) => ({
        label: line.label,
        stroke: line.color,
        fill: line.fill,
        dash: line.dash,
        width: 2,
        // Away from the cursor the legend shows the newest point instead of blanks.
        value: (u, v, sidx, idx) => def.fmt(idx == null ? latest(u.data[sidx]) : v),
      })),
    ],
    // uPlot's default time labels add a date row that collides at these widths; a clock is enough for an hour of history.
    axes: [
      { ...axis, space: 90, size: 32, values: (u, splits) => splits.map((t) => (u.scales.x.max - u.scales.x.min > 600 ? axisMinuteFmt : axisClockFmt).format(t * 1000)) },
      { ...axis, size: 64, values: (_u, splits) => splits.map((v) => def.axis(v)) },
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

// ---------- breakdowns ----------

const OUTCOME_LEVEL = { answered: 'ok', degraded: 'warn', unanswered: 'warn', revised: 'warn', blocked: 'info', refused: 'muted', interrupted: 'bad', failed: 'bad' };

function renderBars(list, record, emptyText, levelOf) {
  const entries = Object.entries(record ?? {}).filter(([, n]) => isNum(n)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (!entries.length) {
    list.replaceChildren(el('li', 'muted', emptyText));
    return;
  }
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const max = entries[0][1];
  list.replaceChildren(...entries.map(([name, n]) => {
    const item = el('li', 'bar-row');
    item.append(el('span', 'bar-label', name), meter(max > 0 ? n / max : 0, levelOf ? OUTCOME_LEVEL[levelOf(name)] : undefined),
      el('span', 'bar-value', `${fmtCount(n)} · ${total > 0 ? pctFmt.format(n / total) : DASH}`));
    return item;
  }));
}

function renderErrors(byCode) {
  const entries = Object.entries(byCode).sort((a, b) => b[1] - a[1]);
  els.errors.replaceChildren(...(entries.length
    ? entries.map(([code, n]) => row([{ text: code, className: 'mono' }, { text: fmtCount(n), className: 'num' }]))
    : [emptyRow(2, 'No errors in the window.')]));
}

function renderSegments(segments) {
  const rows = segments.map((s, i) => {
    const tr = row([
      { text: s.segment, className: 'mono' },
      { text: fmtCount(s.count), className: 'num' },
      { text: fmtMs(s.p50Ms), className: 'num' },
      { text: fmtMs(s.p95Ms), className: 'num' },
      { text: fmtMs(s.p99Ms), className: 'num' },
    ]);
    // The server sorts slowest p95 first; without a p95 there is nothing to call slowest.
    if (i === 0 && isNum(s.p95Ms)) {
      tr.classList.add('slowest');
      tr.firstChild.setAttribute('data-testid', 'slowest-segment');
      tr.firstChild.setAttribute('aria-description', 'slowest segment');
    }
    return tr;
  });
  els.segments.replaceChildren(...(rows.length ? rows : [emptyRow(5, 'No replies in the window.')]));
}

const BREAKER_LABEL = { closed: 'closed', open: 'open', half_open: 'half-open', isolated: 'isolated' };
const BREAKER_ORDER = { open: 0, half_open: 1, isolated: 2, closed: 3 };

function renderBreakers(breakers) {
  const sorted = [...breakers].sort((a, b) => (BREAKER_ORDER[a.state] ?? 4) - (BREAKER_ORDER[b.state] ?? 4) || a.dependency.localeCompare(b.dependency));
  els.breakers.replaceChildren(...(sorted.length ? sorted.map((b) => {
    const item = el('li', 'breaker');
    item.setAttribute('data-testid', `breaker-${b.dependency}`);
    item.dataset.state = b.state;
    const dot = el('span', 'dot');
    dot.setAttribute('aria-hidden', 'true');
    item.append(dot, el('span', 'breaker-name mono', b.dependency), el('span', 'breaker-state', BREAKER_LABEL[b.state] ?? b.state));
    return item;
  }) : [el('li', 'muted', 'No guarded dependencies.')]));
}

function renderCaches(caches) {
  els.caches.replaceChildren(...(caches.length ? caches.map((c) => {
    const cell = el('span', 'with-meter');
    cell.append(meter(c.hitRatio, isNum(c.hitRatio) && c.hitRatio < 0.5 ? 'warn' : 'ok'), el('span', 'meter-text', fmtPct(c.hitRatio)));
    return row([{ text: c.cache, className: 'mono' }, { text: fmtCount(c.lookups), className: 'num' }, { node: cell }]);
  }) : [emptyRow(3, 'No cache lookups in the window.')]));
}

function renderPools(pools) {
  els.pools.replaceChildren(...(pools.length ? pools.map((p) => {
    const ratio = p.size > 0 ? p.inUse / p.size : null;
    const cell = el('span', 'with-meter');
    cell.append(meter(ratio, ratio >= 1 ? 'bad' : ratio >= 0.8 ? 'warn' : 'ok'), el('span', 'meter-text', `${fmtCount(p.inUse)} / ${fmtCount(p.size)}`));
    const tr = row([{ text: p.pool, className: 'mono' }, { node: cell }, { text: fmtCount(p.queued), className: p.queued > 0 ? 'num queued' : 'num' }]);
    return tr;
  }) : [emptyRow(3, 'No model pools.')]));
}

function renderTokens(tokens) {
  els.tokens.replaceChildren(...(tokens.length
    ? tokens.map((t) => row([{ text: t.model, className: 'mono' }, { text: fmtCount(t.input), className: 'num' }, { text: fmtCount(t.output), className: 'num' }]))
    : [emptyRow(3, 'No model calls in the window.')]));
}

function renderCapacity(open, capacity) {
  const ratio = isNum(open) && isNum(capacity) && capacity > 0 ? open / capacity : null;
  const level = ratio === null ? undefined : ratio > 0.8 ? 'bad' : ratio > 0.6 ? 'warn' : 'ok';
  const figure = el('p', 'capacity-figure');
  figure.append(el('span', 'capacity-open', fmtCount(open)), el('span', 'capacity-of', ` / ${fmtCount(capacity)}`));
  els.capacity.replaceChildren(figure, meter(ratio, level), el('p', 'hint', `${fmtPct(ratio)} of the provisioned chats; the alarm fires above 80 %.`));
}

function renderGuardrail(g) {
  const items = [
    ['Checks', fmtCount(g.checks)],
    ['Blocked', `${fmtCount(g.blocked)}${isNum(g.blocked) && g.checks > 0 ? ` (${pctFmt.format(g.blocked / g.checks)})` : ''}`],
    ['Revised', `${fmtCount(g.revised)}${isNum(g.revised) && g.checks > 0 ? ` (${pctFmt.format(g.revised / g.checks)})` : ''}`],
  ];
  els.guardrail.replaceChildren(...items.flatMap(([term, value]) => [el('dt', undefined, term), el('dd', undefined, value)]));
}

// ---------- tickets ----------

const STATUS_LABEL = { open: 'open', answered: 'answered', closed: 'closed' };

function firstCustomerText(ticket) {
  return (ticket.messages ?? []).find((m) => m.from === 'customer')?.text ?? ticket.messages?.[0]?.text ?? '';
}

function renderTickets(tickets) {
  const open = tickets.filter((t) => t.status === 'open').length;
  els.ticketsNote.textContent = `${open} waiting · ${tickets.length - open} answered`;
  els.navTickets.textContent = open ? String(open) : '';
  els.navTickets.dataset.level = open ? 'warn' : '';

  const signature = JSON.stringify(tickets.map((t) => [t.id, t.status, t.updatedAt]));
  const now = Date.now();
  if (signature === state.ticketsSignature) {
    // Unchanged list: only the ages move; rebuilding would steal keyboard focus every 2 s.
    for (const t of tickets) {
      const age = els.ticketList.querySelector(`[data-ticket-id="${CSS.escape(t.id)}"] .ticket-age`);
      if (age) age.textContent = `${fmtAge(now - t.createdAt)} ago`;
    }
    return;
  }
  state.ticketsSignature = signature;
  const focusedId = document.activeElement?.closest?.('.ticket-item')?.dataset.ticketId;
  if (!tickets.length) {
    els.ticketList.replaceChildren(el('li', 'muted empty', 'No customer is waiting for a human.'));
    return;
  }
  els.ticketList.replaceChildren(...tickets.map((t) => {
    const item = el('li');
    const button = el('button', 'ticket-item');
    button.type = 'button';
    button.dataset.ticketId = t.id;
    button.setAttribute('data-testid', `ticket-${t.id}`);
    if (t.id === state.selected) button.setAttribute('aria-current', 'true');
    const line = el('span', 'ticket-line');
    line.append(el('span', `badge badge-${t.status}`, STATUS_LABEL[t.status] ?? t.status), el('span', 'ticket-kind', t.customer?.kind ?? DASH),
      el('span', 'ticket-lang', (t.language ?? DASH).toUpperCase()), el('span', 'ticket-age', `${fmtAge(now - t.createdAt)} ago`));
    const first = el('span', 'ticket-first', firstCustomerText(t));
    if (t.language === 'ja') first.lang = 'ja';
    button.append(line, first);
    button.addEventListener('click', () => selectTicket(t.id));
    item.append(button);
    return item;
  }));
  if (focusedId) els.ticketList.querySelector(`[data-ticket-id="${CSS.escape(focusedId)}"]`)?.focus();
}

async function selectTicket(id) {
  state.selected = id;
  state.detail = null;
  state.detailSignature = '';
  state.closeArmedUntil = 0;
  for (const b of els.ticketList.querySelectorAll('.ticket-item')) {
    if (b.dataset.ticketId === id) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
  els.ticketEmpty.hidden = true;
  els.ticketView.hidden = false;
  els.ticketTitle.textContent = `Ticket ${id}`;
  els.ticketMeta.textContent = 'Loading…';
  els.ticketThread.replaceChildren();
  els.ticketConversation.replaceChildren();
  els.ticketPresence.textContent = '';
  els.replyStatus.textContent = '';
  els.replyError.textContent = '';
  resetCloseButton();
  const gen = state.generation;
  try {
    const detail = await api(ticketPath(id));
    if (gen === state.generation && state.selected === id) renderDetail(detail);
  } catch (error) {
    if (error instanceof AuthError) signOut(REFUSED);
    else if (state.selected === id) showReplyError(error.message);
  }
}

function showReplyError(message) {
  els.replyError.textContent = message;
}

function renderDetail(detail) {
  const { ticket } = detail;
  const conversation = detail.conversation ?? [];
  const connected = isNum(detail.connected) ? detail.connected : 0;
  state.detail = { ticket, conversation, connected };
  const now = Date.now();

  els.ticketTitle.textContent = ticket.customer?.name ? `Ticket ${ticket.id} · ${ticket.customer.name}` : `Ticket ${ticket.id}`;
  const who = [ticket.customer?.kind, ticket.customer?.customerId].filter(Boolean).join(' ');
  els.ticketMeta.replaceChildren(
    el('span', `badge badge-${ticket.status}`, STATUS_LABEL[ticket.status] ?? ticket.status),
    el('span', undefined, who || DASH),
    el('span', undefined, `language ${String(ticket.language ?? DASH).toUpperCase()}`),
    el('span', undefined, `opened ${fmtAge(now - ticket.createdAt)} ago`),
    el('span', 'mono', `session ${ticket.sessionId ?? DASH}`),
  );
  els.ticketPresence.dataset.connected = String(connected > 0);
  els.ticketPresence.textContent = connected > 0
    ? `Customer connected (${plural(connected, 'open chat', 'open chats')}): a reply arrives live.`
    : 'Customer not connected: a reply is delivered when they reconnect.';

  const closed = ticket.status === 'closed';
  els.replyText.disabled = closed;
  els.replySend.disabled = closed;
  els.ticketClose.disabled = closed;
  if (closed && !els.replyStatus.textContent) els.replyStatus.textContent = 'This ticket is closed.';

  // Rebuilt only when something changed, so the operator's scroll position survives the polls.
  const signature = JSON.stringify([ticket.updatedAt, (ticket.messages ?? []).map((m) => [m.id, m.delivered]), conversation.length, conversation.at(-1)?.at]);
  if (signature === state.detailSignature) return;
  state.detailSignature = signature;
  following(els.ticketThread, () => els.ticketThread.replaceChildren(...(ticket.messages ?? []).map((m) => threadLine(m, ticket.language))));
  following(els.ticketConversation, () => els.ticketConversation.replaceChildren(...(conversation.length
    ? conversation.map((c) => conversationLine(c, ticket.language))
    : [el('li', 'muted', 'No recent conversation is stored for this session.')])));
}

/** Applies a change to a scrolling list and keeps the newest line in view if the reader was there. */
function following(box, change) {
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  change();
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function threadLine(m, language) {
  const item = el('li', `line line-${m.from === 'operator' ? 'operator' : 'customer'}`);
  const head = el('span', 'line-head');
  head.append(el('span', 'line-who', m.from === 'operator' ? `Operator ${m.operator ?? ''}`.trim() : 'Customer'));
  const time = el('time', 'line-time', isNum(m.at) ? clockFmt.format(m.at) : DASH);
  if (isNum(m.at)) time.dateTime = new Date(m.at).toISOString();
  head.append(time);
  if (m.from === 'operator') head.append(el('span', `badge ${m.delivered ? 'badge-delivered' : 'badge-waiting'}`, m.delivered ? 'delivered' : 'not delivered yet'));
  const text = el('p', 'line-text', m.text);
  if (m.from === 'customer' && language === 'ja') text.lang = 'ja';
  item.append(head, text);
  return item;
}

function conversationLine(c, language) {
  const fromCustomer = c.role === 'user' || c.role === 'customer';
  const item = el('li', `line ${fromCustomer ? 'line-customer' : 'line-assistant'}`);
  const head = el('span', 'line-head');
  head.append(el('span', 'line-who', fromCustomer ? 'Customer' : c.role === 'assistant' ? 'Assistant' : String(c.role ?? DASH)));
  const time = el('time', 'line-time', isNum(c.at) ? clockFmt.format(c.at) : DASH);
  if (isNum(c.at)) time.dateTime = new Date(c.at).toISOString();
  head.append(time);
  const text = el('p', 'line-text', c.text);
  if (language === 'ja') text.lang = 'ja';
  item.append(head, text);
  return item;
}

els.operatorName.value = localStorage.getItem(STORAGE_OPERATOR) ?? '';

els.replyText.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) {
    event.preventDefault();
    els.replyForm.requestSubmit();
  }
});

els.replyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = state.selected;
  const text = els.replyText.value.trim();
  const operator = els.operatorName.value.trim();
  if (!id) return;
  if (!operator) { els.operatorName.focus(); showReplyError('Enter your name: the customer sees who answered.'); return; }
  if (!text) { els.replyText.focus(); showReplyError('Write a reply first.'); return; }
  try { localStorage.setItem(STORAGE_OPERATOR, operator); } catch { /* storage disabled: type it again next time */ }
  els.replySend.disabled = true;
  els.replyError.textContent = '';
  els.replyStatus.textContent = 'Sending…';
  delete els.replyStatus.dataset.delivered;
  try {
    const result = await api(ticketPath(id, '/reply'), { method: 'POST', body: { text, operator } });
    if (state.selected !== id) return;
    els.replyText.value = '';
    els.replyStatus.dataset.delivered = String(Boolean(result.delivered));
    els.replyStatus.textContent = result.delivered
      ? 'Reply delivered live to the customer’s chat.'
      : 'Reply saved: it will be delivered when the customer reconnects.';
    if (result.ticket) renderDetail({ ...(state.detail ?? {}), ticket: result.ticket });
    wakePoll();
  } catch (error) {
    if (error instanceof AuthError) { signOut(REFUSED); return; }
    els.replyStatus.textContent = '';
    showReplyError(error.message);
  } finally {
    els.replySend.disabled = state.detail?.ticket?.status === 'closed';
  }
});

function resetCloseButton() {
  state.closeArmedUntil = 0;
  els.ticketClose.textContent = 'Close ticket';
  delete els.ticketClose.dataset.armed;
}

// Closing cannot be undone from here, so it takes a second click (no confirm() dialog, which
// would block the page's polling while open).
els.ticketClose.addEventListener('click', async () => {
  const id = state.selected;
  if (!id) return;
  if (Date.now() > state.closeArmedUntil) {
    state.closeArmedUntil = Date.now() + CLOSE_CONFIRM_MS;
    els.ticketClose.dataset.armed = 'true';
    els.ticketClose.textContent = 'Click again to close';
    setTimeout(() => { if (Date.now() >= state.closeArmedUntil) resetCloseButton(); }, CLOSE_CONFIRM_MS);
    return;
  }
  resetCloseButton();
  els.ticketClose.disabled = true;
  els.replyError.textContent = '';
  try {
    const result = await api(ticketPath(id, '/close'), { method: 'POST' });
    if (state.selected !== id) return;
    els.replyStatus.textContent = 'Ticket closed.';
    if (result?.ticket) renderDetail({ ...(state.detail ?? {}), ticket: result.ticket });
    wakePoll();
  } catch (error) {
    if (error instanceof AuthError) { signOut(REFUSED); return; }
    els.ticketClose.disabled = false;
    showReplyError(error.message);
  }
});

// ---------- start ----------

function resetDashboard() {
  for (const chart of state.charts.values()) {
    resizer.unobserve(chart.box);
    chart.plot?.destroy();
  }
  state.charts.clear();
  els.chartGrid.replaceChildren();
  for (const node of [els.kpis, els.alarmRows, els.intents, els.outcomes, els.errors, els.segments, els.breakers, els.caches, els.pools, els.tokens, els.capacity, els.guardrail, els.ticketList, els.ticketThread, els.ticketConversation]) node.replaceChildren();
  state.alarmStates = new Map();
  state.ticketsSignature = '';
  state.selected = null;
  state.detail = null;
  state.detailSignature = '';
  state.lastOk = 0;
  els.ticketView.hidden = true;
  els.ticketEmpty.hidden = false;
  els.banner.hidden = true;
  els.replyText.value = '';
  els.replyStatus.textContent = '';
  els.replyError.textContent = '';
  document.title = 'MangaAssist Operations';
}

const savedWindow = localStorage.getItem(STORAGE_WINDOW);
if ([...els.windowPick.options].some((o) => o.value === savedWindow)) els.windowPick.value = savedWindow;
els.windowPick.addEventListener('change', () => {
  try { localStorage.setItem(STORAGE_WINDOW, els.windowPick.value); } catch { /* remembered for this page only */ }
  wakePoll();
});

document.addEventListener('visibilitychange', () => { if (!document.hidden) wakePoll(); });

if (state.token) {
  showDashboard();
  setLive('connecting');
  void pollLoop(++state.generation);
} else {
  showSignIn('');
}
