// The plotting script of the report. It runs in the browser, not in Node: html.ts inlines
// `drawPlots.toString()` after uPlot, so this function must be self-contained (no imports at run
// time, no references to module scope) and use only erasable TypeScript, which Node strips to JS.
import type uPlot from 'uplot';
import type { PlotData } from './plot-data.ts';

/** Draws every plot of the report into its placeholder element (`#plot-*`), given the uPlot constructor and the plot data. */
export function drawPlots(U: typeof uPlot, data: PlotData): void {
  const C = {
    p50: '#2563eb', p99: '#ea580c', ttlt: '#7c3aed', msgs: '#059669', errors: '#dc2626', sessions: '#475569',
    grid: '#e2e8f0', axis: '#334155', text: '#475569', fail: '#b91c1c', pass: '#15803d',
  };
  const BAND_FILLS = ['rgba(37,99,235,0.06)', 'rgba(5,150,105,0.07)', 'rgba(234,88,12,0.08)', 'rgba(124,58,237,0.07)', 'rgba(202,138,4,0.08)', 'rgba(219,39,119,0.06)'];
  const px = U.pxRatio;
  // Height (CSS px) of the strip above time plots that carries the phase labels.
  const BAND_STRIP = 18;
  const timePadding: uPlot.Padding = [BAND_STRIP + 6, 8, 0, 0];
  const font = (size: number, weight = 400) => `${weight} ${Math.round(size * px)}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;

  const fmtMs = (v: number | null | undefined): string => {
    if (v == null || !Number.isFinite(v)) return '—';
    if (Math.abs(v) >= 1000) return `${+(v / 1000).toFixed(v >= 10_000 ? 0 : 1)} s`;
    if (Math.abs(v) < 10) return `${+v.toFixed(1)} ms`;
    return `${Math.round(v)} ms`;
  };
  const longRun = (data.timeline?.t.length ?? 0) > 300;
  const fmtT = (v: number): string => {
    if (!longRun) return `${v} s`;
    const m = Math.floor(v / 60);
    const s = Math.round(v % 60);
    return `${m}:${String(s).padStart(2, '0')}`;
  };
  const axisBase = { stroke: C.axis, grid: { stroke: C.grid, width: 1 }, ticks: { stroke: C.grid, width: 1 }, font: font(12) };

  // Phase names assigned a fill in order of first appearance, so a repeated phase keeps its colour.
  const phaseColour = new Map<string, string>();
  for (const band of data.phases) {
    if (!phaseColour.has(band.name)) phaseColour.set(band.name, BAND_FILLS[phaseColour.size % BAND_FILLS.length]);
  }
  /** Shades and labels the phases behind the series of a time plot. */
  const drawPhaseBands = (u: uPlot) => {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    for (const band of data.phases) {
      const x0 = u.valToPos(band.start, 'x', true);
      const x1 = u.valToPos(band.end, 'x', true);
      ctx.fillStyle = phaseColour.get(band.name) ?? BAND_FILLS[0];
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.strokeStyle = 'rgba(71,85,105,0.35)';
      ctx.lineWidth = px;
      ctx.beginPath();
      ctx.moveTo(Math.round(x0) + 0.5, top - BAND_STRIP * px);
      ctx.lineTo(Math.round(x0) + 0.5, top + height);
      ctx.stroke();
      // Labels sit in a strip above the plotting area (see BAND_STRIP) so no series or SLO line crosses them;
      // only bands wide enough get one, a narrow band would print over its neighbour.
      ctx.fillRect(x0, top - BAND_STRIP * px, x1 - x0, BAND_STRIP * px);
      ctx.font = font(11, 600);
      const w = ctx.measureText(band.name).width;
      if (x1 - x0 > w + 8 * px) {
        ctx.fillStyle = C.text;
        ctx.textBaseline = 'middle';
        ctx.textAlign = 'left';
        ctx.fillText(band.name, x0 + 4 * px, top - (BAND_STRIP / 2) * px);
      }
    }
    ctx.restore();
  };

  const plots: { el: HTMLElement; plot: uPlot; height: number }[] = [];
  const make = (id: string, height: number, build: (width: number) => { opts: uPlot.Options; data: uPlot.AlignedData }) => {
    const el = document.getElementById(id);
    if (!el) return;
    try {
      const width = Math.max(320, el.clientWidth);
      const built = build(width);
      plots.push({ el, height, plot: new U({ ...built.opts, width, height }, built.data, el) });
    } catch (error) {
      // One broken plot must not take the rest of the report with it.
      el.textContent = 'This plot could not be drawn.';
      console.error(error);
    }
  };

  const tl = data.timeline;
  const xScale: uPlot.Scale = { time: false };

  if (tl && data.latency) {
    make('plot-latency', 320, () => {
      const colour = { ttftP50: C.p50, ttftP99: C.p99, ttltP99: C.ttlt };
      return {
        data: [tl.t, tl.ttftP50, tl.ttftP99, tl.ttltP99] as uPlot.AlignedData,
        opts: {
          width: 0, height: 0,
          padding: timePadding,
          scales: {
            x: xScale,
            // Log scale: p50 ttft, a spiking p99 and ttlt differ by an order of magnitude or more.
            y: {
              distr: 3, log: 10,
              range: (_u, min, max) => {
                let lo = min;
                let hi = max;
                for (const t of data.thresholds) { lo = Math.min(lo, t.value); hi = Math.max(hi, t.value); }
                if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo <= 0) return [1, 10_000];
                return U.rangeLog(lo * 0.8, hi * 1.25, 10, false);
              },
            },
          },
          axes: [
            { ...axisBase, values: (_u, splits) => splits.map(fmtT) },
            { ...axisBase, size: 64, values: (_u, splits) => splits.map((v) => (v == null ? '' : fmtMs(v))) },
          ],
          series: [
            { label: 'second', value: (_u, v) => (v == null ? '—' : fmtT(v)) },
            { label: 'ttft p50', stroke: C.p50, width: 2, spanGaps: false, value: (_u, v) => fmtMs(v), points: { show: false } },
            { label: 'ttft p99', stroke: C.p99, width: 2, value: (_u, v) => fmtMs(v), points: { show: false } },
            { label: 'ttlt p99', stroke: C.ttlt, width: 1.5, dash: [6, 3], value: (_u, v) => fmtMs(v), points: { show: false } },
          ],
          hooks: {
            drawClear: [drawPhaseBands],
            draw: [(u: uPlot) => {
              // SLO thresholds: dashed, in the colour of the series they constrain, labelled at the right edge.
              const ctx = u.ctx;
              const { left, top, width, height } = u.bbox;
              ctx.save();
              for (const t of data.thresholds) {
                const y = Math.round(u.valToPos(t.value, 'y', true)) + 0.5;
                if (y < top || y > top + height) continue;
                ctx.strokeStyle = colour[t.series];
                ctx.lineWidth = 1.5 * px;
                ctx.setLineDash([8 * px, 4 * px]);
                ctx.beginPath();
                ctx.moveTo(left, y);
                ctx.lineTo(left + width, y);
                ctx.stroke();
                ctx.setLineDash([]);
                const label = `SLO ${t.label} ${t.held ? '✓' : '✗'}`;
                ctx.font = font(11, 600);
                const w = ctx.measureText(label).width;
                ctx.fillStyle = 'rgba(255,255,255,0.85)';
                ctx.fillRect(left + width - w - 10 * px, y - 16 * px, w + 8 * px, 14 * px);
                ctx.fillStyle = t.held ? C.pass : C.fail;
                ctx.textAlign = 'right';
                ctx.textBaseline = 'bottom';
                ctx.fillText(label, left + width - 6 * px, y - 3 * px);
              }
              ctx.restore();
            }],
          },
        },
      };
    });
  }

  if (tl) {
    make('plot-throughput', 280, () => ({
      data: [tl.t, tl.messages, tl.errors, tl.sessionsOpen] as uPlot.AlignedData,
      opts: {
        width: 0, height: 0,
        padding: timePadding,
        scales: { x: xScale, rate: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] }, sessions: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [
          { ...axisBase, values: (_u, splits) => splits.map(fmtT) },
          { ...axisBase, scale: 'rate', size: 56, label: 'per second', labelFont: font(12), labelSize: 20 },
          { ...axisBase, scale: 'sessions', side: 1, size: 56, grid: { show: false }, label: 'sessions open', labelFont: font(12), labelSize: 20 },
        ],
        series: [
          { label: 'second', value: (_u, v) => (v == null ? '—' : fmtT(v)) },
          // With no completed messages (idle mode) a flat zero line says nothing, so it starts hidden.
          { label: 'messages/s', scale: 'rate', show: data.latency, stroke: C.msgs, fill: 'rgba(5,150,105,0.12)', width: 2, points: { show: false } },
          { label: 'errors/s', scale: 'rate', stroke: C.errors, fill: 'rgba(220,38,38,0.55)', width: 1, paths: U.paths.bars!({ size: [0.8, 12] }), points: { show: false } },
          { label: 'sessions open', scale: 'sessions', stroke: C.sessions, width: 1.5, dash: [4, 3], paths: U.paths.stepped!({ align: 1 }), points: { show: false } },
        ],
        hooks: { drawClear: [drawPhaseBands] },
      },
    }));
  }

  const hist = data.histogram;
  if (hist) {
    make('plot-histogram', 260, () => ({
      data: [hist.x, hist.y] as uPlot.AlignedData,
      opts: {
        width: 0, height: 0,
        scales: { x: { time: false, distr: 3, log: 10 }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.12] } },
        axes: [
          { ...axisBase, values: (_u, splits) => splits.map((v) => (v == null ? '' : fmtMs(v))) },
          { ...axisBase, size: 56, label: 'messages', labelFont: font(12), labelSize: 20 },
        ],
        series: [
          { label: 'ttft', value: (_u, v) => `≤ ${fmtMs(v)}` },
          // Each HDR bucket is reported at its upper edge, so its count fills the step before that value.
          { label: 'messages', stroke: C.p50, fill: 'rgba(37,99,235,0.25)', width: 1.5, paths: U.paths.stepped!({ align: -1 }), points: { show: false } },
        ],
        hooks: {
          draw: [(u: uPlot) => {
            const ctx = u.ctx;
            const { top, height } = u.bbox;
            ctx.save();
            const marks: [string, number | null, string][] = [['p50', hist.p50, C.p50], ['p99', hist.p99, C.p99]];
            for (const [name, value, colour] of marks) {
              if (value == null || !(value > 0)) continue;
              const x = Math.round(u.valToPos(value, 'x', true)) + 0.5;
              ctx.strokeStyle = colour;
              ctx.lineWidth = 1.5 * px;
              ctx.setLineDash([5 * px, 3 * px]);
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
              ctx.setLineDash([]);
              ctx.fillStyle = colour;
              ctx.font = font(11, 700);
              ctx.textAlign = 'left';
              ctx.textBaseline = 'top';
              ctx.fillText(`${name} ${fmtMs(value)}`, x + 4 * px, top + 4 * px);
            }
            ctx.restore();
          }],
        },
      },
    }));
  }

  const seg = data.segments;
  if (seg) {
    const n = seg.names.length;
    make('plot-segments', Math.max(180, n * 38 + 70), () => ({
      data: [seg.names.map((_, i) => i), seg.p50, seg.p99] as uPlot.AlignedData,
      opts: {
        width: 0, height: 0,
        // Horizontal bars: the category scale runs down the left side, the ms scale along the bottom.
        scales: {
          x: { time: false, ori: 1, dir: -1, range: [-0.5, n - 0.5] },
          y: { ori: 0, dir: 1, range: (_u, _min, max) => [0, Math.max(1, max) * 1.18] },
        },
        axes: [
          { ...axisBase, side: 3, size: 140, gap: 8, grid: { show: false }, ticks: { show: false }, font: font(12, 600),
            splits: () => seg.names.map((_, i) => i), values: (_u, splits) => splits.map((i) => seg.names[i] ?? '') },
          { ...axisBase, side: 2, values: (_u, splits) => splits.map((v) => (v == null ? '' : fmtMs(v))) },
        ],
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        series: [
          { label: 'segment', value: (_u, v) => (v == null ? '—' : seg.names[v] ?? '') },
          { label: 'p50', stroke: C.p50, fill: 'rgba(37,99,235,0.75)', width: 0, paths: U.paths.bars!({ size: [0.38, 18], align: -1 }), value: (_u, v) => fmtMs(v), points: { show: false } },
          { label: 'p99', stroke: C.p99, fill: 'rgba(234,88,12,0.75)', width: 0, paths: U.paths.bars!({ size: [0.38, 18], align: 1 }), value: (_u, v) => fmtMs(v), points: { show: false } },
        ],
        hooks: {
          draw: [(u: uPlot) => {
            // Value labels at the end of each bar: small segments are invisible next to the model's share.
            const ctx = u.ctx;
            ctx.save();
            ctx.font = font(11, 600);
            ctx.textBaseline = 'middle';
            ctx.textAlign = 'left';
            const slot = Math.abs(u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true));
            const barH = Math.min(slot * 0.38, 18 * px);
            for (let i = 0; i < n; i++) {
              const centre = u.valToPos(i, 'x', true);
              const rows: [number, string, number][] = [[seg.p50[i], C.p50, -1], [seg.p99[i], C.p99, 1]];
              for (const [value, colour, side] of rows) {
                ctx.fillStyle = colour;
                ctx.fillText(fmtMs(value), u.valToPos(value, 'y', true) + 5 * px, centre + side * barH / 2);
              }
            }
            ctx.restore();
          }],
        },
      },
    }));
  }

  let pending = 0;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = window.setTimeout(() => {
      for (const p of plots) p.plot.setSize({ width: Math.max(320, p.el.clientWidth), height: p.height });
    }, 100);
  });
  document.body.dataset.plots = String(plots.length);
}
