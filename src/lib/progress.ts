// A progress bar with rate and ETA for long CLI jobs; silent when stderr is not a terminal.

export interface Progress {
  update(done: number, total?: number): void;
  done(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let lastDraw = 0;
  let lastLine = '';
  const draw = (done: number, total?: number) => {
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = done / secs;
    let line = `${label} ${done.toLocaleString('en-US')}`;
    if (total && total > 0) {
      const frac = Math.min(done / total, 1);
      const width = 24;
      const filled = Math.round(frac * width);
      const eta = rate > 0 ? Math.max(0, (total - done) / rate) : 0;
      line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} · ${formatRate(rate)}/s · ETA ${formatDuration(eta)}`;
    } else {
      line += ` · ${formatRate(rate)}/s`;
    }
    lastLine = line;
    stream.write(`\r\x1b[2K${line}`);
  };
  return {
    update(done, total) {
      const now = Date.now();
      if (now - lastDraw < 100 && done !== total) return;
      lastDraw = now;
      draw(done, total);
    },
    done() {
      if (lastLine) stream.write('\n');
    },
  };
}

function formatRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1);
}

export function formatDuration(secs: number): string {
  if (secs < 60) return `${Math.round(secs)}s`;
  const m = Math.floor(secs / 60);
  if (m < 60) return `${m}m${String(Math.round(secs % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
