// Weekly charts as server-rendered SVG: bars for papers, a line for votes (on its own scale). No
// script, no style attribute (the CSP allows neither): colours come from style.css classes. Each
// chart is an image with a text label, and comes with a table of the same numbers.
import { html, raw, type RawHtml } from '../../lib/html.ts';
import type { WeeklySeries } from '../../trends/index.ts';

export interface ChartOptions {
  width: number;
  height: number;
  /** Week labels under the bars (the large chart). */
  labels?: boolean;
  /** The chart's accessible name. */
  title: string;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function weeklyChart(series: WeeklySeries, o: ChartOptions): RawHtml {
  const n = series.counts.length;
  const bottom = o.labels ? 18 : 2;
  const top = 4;
  const plotH = o.height - bottom - top;
  const slot = o.width / n;
  const maxCount = Math.max(1, ...series.counts);
  const maxVotes = Math.max(1, ...series.votes);
  const bars = series.counts.map((c, i) => {
    const h = (c / maxCount) * plotH;
    return `<rect class="bar${i === n - 1 ? ' current' : ''}" x="${round(i * slot + slot * 0.15)}" y="${round(top + plotH - h)}" width="${round(slot * 0.7)}" height="${round(Math.max(h, c > 0 ? 1 : 0))}"/>`;
  });
  const points = series.votes.map((v, i) => `${round(i * slot + slot / 2)},${round(top + plotH - (v / maxVotes) * plotH)}`).join(' ');
  const labels = o.labels ? series.weeks.map((w, i) => `<text class="axis" x="${round(i * slot + slot / 2)}" y="${o.height - 4}" text-anchor="middle">${w.slice(5)}</text>`) : [];
  const summary = series.weeks.map((w, i) => `${w}: ${series.counts[i]} papers, ${series.votes[i]} votes`).join('; ');
  return html`<svg class="chart" viewBox="0 0 ${o.width} ${o.height}" width="${o.width}" height="${o.height}" role="img" aria-label="${o.title}. ${summary}" focusable="false">${raw(bars.join(''))}<polyline class="line" points="${points}"/>${raw(labels.join(''))}</svg>`;
}

/** The same numbers as a table, folded away under the chart. */
export function weeklyTable(series: WeeklySeries, caption: string): RawHtml {
  return html`<details class="chart-table"><summary>Table</summary><table><caption>${caption}</caption>
<thead><tr><th scope="col">Week</th><th scope="col">Papers</th><th scope="col">Votes</th></tr></thead>
<tbody>${series.weeks.map((w, i) => html`<tr><th scope="row">${w}</th><td>${series.counts[i]}</td><td>${series.votes[i]}</td></tr>`)}</tbody></table></details>`;
}
