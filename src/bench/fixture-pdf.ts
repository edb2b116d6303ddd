// Small, valid PDFs made here (no third-party documents): pages of text and shapes that look
// enough like a paper's first page to render, for the thumbnail tests and bench.

function escapePdfText(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`);
}

/** A PDF of US-letter pages, each a title, lines of text and a "figure" (filled rectangles). */
export function makePdf(pages: Array<{ title: string; lines: string[] }>): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1; // object numbers start at 1
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('PAGES');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids: number[] = [];
  for (const page of pages) {
    const text = page.lines.map((l, i) => `BT /F1 10 Tf 72 ${660 - i * 14} Td (${escapePdfText(l)}) Tj ET`).join('\n');
    const stream = `BT /F1 20 Tf 72 720 Td (${escapePdfText(page.title)}) Tj ET\n${text}\n0.15 0.35 0.75 rg 330 420 210 150 re f\n0.85 0.45 0.1 rg 350 440 40 90 re f 400 440 40 60 re f 450 440 40 110 re f\n`;
    const content = add(`<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}endstream`);
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`));
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A paper-like PDF: `pages` pages of 40 lines each. */
export function samplePaperPdf(title: string, pages = 1): Buffer {
  const line = 'We study how thumbnails of first pages help readers choose what to read among many papers.';
  return makePdf(Array.from({ length: pages }, (_, p) => ({ title: p === 0 ? title : `Page ${p + 1}`, lines: Array.from({ length: 40 }, (_, i) => `${i + 1}. ${line}`) })));
}
