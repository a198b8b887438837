// Small SVG charts drawn from numbers (no library, nothing from the internet).
const NS = 'http://www.w3.org/2000/svg';
const COLORS = { EXECUTE: '#1b7f3b', REQUIRE_APPROVAL: '#a15c00', REJECT: '#b3261e' };

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Stacked bars of decisions per time bucket, one colour per outcome. */
export function decisionsOverTime(series, title) {
  const buckets = [...new Set(series.map(p => p.bucket))].sort();
  const outcomes = Object.keys(COLORS);
  const totals = buckets.map(b => series.filter(p => p.bucket === b).reduce((n, p) => n + Number(p.count), 0));
  const max = Math.max(1, ...totals);
  const width = 640;
  const height = 200;
  const bar = buckets.length ? Math.min(40, (width - 40) / buckets.length - 4) : 0;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 30}`, role: 'img', 'aria-label': title, class: 'chart' },
    svg('title', {}, title),
    svg('line', { x1: 36, y1: height, x2: width, y2: height, stroke: '#555' }),
    svg('text', { x: 0, y: 12, class: 'axis' }, String(max)),
    svg('text', { x: 0, y: height, class: 'axis' }, '0'));
  buckets.forEach((bucket, i) => {
    let y = height;
    const x = 40 + i * (bar + 4);
    for (const outcome of outcomes) {
      const point = series.find(p => p.bucket === bucket && p.decision === outcome);
      if (!point) continue;
      const h = (Number(point.count) / max) * (height - 10);
      y -= h;
      chart.append(svg('rect', { x, y, width: bar, height: h, fill: COLORS[outcome] },
        svg('title', {}, `${new Date(bucket).toLocaleString()}: ${point.count} ${outcome}`)));
    }
    if (i % Math.ceil(buckets.length / 8) === 0) {
      chart.append(svg('text', { x, y: height + 16, class: 'axis' },
        new Date(bucket).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    }
  });
  return chart;
}

/** Horizontal bars for a few labelled values (latency percentiles). */
export function bars(values, unit, title) {
  const entries = Object.entries(values).filter(([, v]) => v !== null && v !== undefined);
  const max = Math.max(1, ...entries.map(([, v]) => Number(v)));
  const chart = svg('svg', { viewBox: `0 0 640 ${entries.length * 34 + 10}`, role: 'img', 'aria-label': title, class: 'chart' },
    svg('title', {}, title));
  entries.forEach(([label, value], i) => {
    const w = (Number(value) / max) * 440;
    chart.append(svg('text', { x: 0, y: i * 34 + 24, class: 'axis' }, label));
    chart.append(svg('rect', { x: 60, y: i * 34 + 8, width: Math.max(2, w), height: 22, fill: '#2459a6' }));
    chart.append(svg('text', { x: 66 + w, y: i * 34 + 24, class: 'axis' }, `${Math.round(Number(value))} ${unit}`));
  });
  return chart;
}

export const outcomeColors = COLORS;
