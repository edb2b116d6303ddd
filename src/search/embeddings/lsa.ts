// Latent semantic analysis learned from the instance's own papers: TF-IDF term vectors projected
// onto the top-k singular directions of the corpus' document-term matrix (randomized SVD, Halko,
// Martinsson & Tropp 2011). Pure: texts in, a model out; the model embeds any new text by fold-in,
// so papers added after training are embedded without retraining.

export interface LsaModel {
  /** term → row of `projection` */
  vocabulary: Map<string, number>;
  idf: Float32Array;
  /** terms × k, row-major: each term's coordinates scaled by 1/σ (fold-in). */
  projection: Float32Array;
  k: number;
  /** How many documents it was learned from. */
  documents: number;
}

const STOPWORDS = new Set(
  ('a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    'however thus therefore may might must shall within without using use used based via among upon whether either neither also et al').split(' '),
);

/** Lower-cased alphanumeric words minus stopwords, with a light plural strip (no full stemmer: ranking precision matters more here). */
export function lsaTerms(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().normalize('NFKD').split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || STOPWORDS.has(raw) || /^\d+$/.test(raw)) continue;
    out.push(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') && !raw.endsWith('us') && !raw.endsWith('is') ? raw.slice(0, -1) : raw);
  }
  return out;
}

interface Sparse {
  /** per document: term ids and weights */
  ids: Int32Array[];
  weights: Float32Array[];
}

function tfidfRow(terms: string[], vocabulary: Map<string, number>, idf: Float32Array): { ids: Int32Array; weights: Float32Array } {
  const counts = new Map<number, number>();
  for (const t of terms) {
    const id = vocabulary.get(t);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids = Int32Array.from(counts.keys());
  const weights = new Float32Array(ids.length);
  let norm = 0;
  ids.forEach((id, i) => {
    const w = (1 + Math.log(counts.get(id)!)) * idf[id]!; // sublinear tf · idf
    weights[i] = w;
    norm += w * w;
  });
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! / norm;
  return { ids, weights };
}

/** Deterministic standard normal numbers (mulberry32 + Box-Muller), so training is reproducible. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** Y = A·X: A is n×m sparse, X is m×l dense (row-major); Y is n×l. */
function multiply(a: Sparse, x: Float64Array, l: number): Float64Array {
  return sparseProduct(a, x, l, a.ids.length, false);
}

/** Z = Aᵀ·Y: Y is n×l; Z is m×l. */
function multiplyT(a: Sparse, y: Float64Array, l: number, m: number): Float64Array {
  return sparseProduct(a, y, l, m, true);
}

/** One walk over A's non-zeros for both products: entry (r, col) adds v × a row of the input to a row of the output. */
function sparseProduct(a: Sparse, input: Float64Array, l: number, outRows: number, transposed: boolean): Float64Array {
  const out = new Float64Array(outRows * l);
  a.ids.forEach((ids, r) => {
    const w = a.weights[r]!;
    const row = r * l;
    for (let j = 0; j < ids.length; j++) {
      const col = ids[j]! * l;
      const from = transposed ? row : col;
      const to = transposed ? col : row;
      const v = w[j]!;
      for (let c = 0; c < l; c++) out[to + c]! += v * input[from + c]!;
    }
  });
  return out;
}

/**
 * Orthonormalises the l columns of a rows×l row-major matrix in place by Cholesky QR, applied twice
 * for stability (CholeskyQR2): Gram matrix G = QᵀQ, G = RᵀR, Q ← Q·R⁻¹. Row-wise passes only, so it
 * stays cache-friendly on tall matrices. Rank-deficient columns are zeroed.
 */
function orthonormalize(q: Float64Array, rows: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = new Float64Array(l * l);
    for (let r = 0; r < rows; r++) {
      const base = r * l;
      for (let i = 0; i < l; i++) {
        const x = q[base + i]!;
        if (x === 0) continue;
        for (let j = i; j < l; j++) g[i * l + j]! += x * q[base + j]!;
      }
    }
    // Cholesky (upper): G = RᵀR
    const rr = new Float64Array(l * l);
    for (let i = 0; i < l; i++) {
      let d = g[i * l + i]!;
      for (let k = 0; k < i; k++) d -= rr[k * l + i]! ** 2;
      const rii = d > 1e-10 * (g[i * l + i]! || 1) ? Math.sqrt(d) : 0;
      rr[i * l + i] = rii;
      for (let j = i + 1; j < l; j++) {
        let s = g[i * l + j]!;
        for (let k = 0; k < i; k++) s -= rr[k * l + i]! * rr[k * l + j]!;
        rr[i * l + j] = rii > 0 ? s / rii : 0;
      }
    }
    // Each row x ← x·R⁻¹ by forward substitution (x_new · R = x_old); Rᵀ keeps the inner loop contiguous.
    const rt = new Float64Array(l * l);
    for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) rt[j * l + i] = rr[i * l + j]!;
    const row = new Float64Array(l);
    for (let r = 0; r < rows; r++) {
      const base = r * l;
      for (let j = 0; j < l; j++) {
        let s = q[base + j]!;
        const off = j * l;
        for (let k = 0; k < j; k++) s -= row[k]! * rt[off + k]!;
        const rjj = rr[j * l + j]!;
        row[j] = rjj > 0 ? s / rjj : 0;
      }
      for (let j = 0; j < l; j++) q[base + j] = row[j]!;
    }
  }
}

/** Eigen-decomposition of a symmetric l×l matrix by cyclic Jacobi; returns values and column vectors. */
function symmetricEigen(s: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  let total = 0;
  for (let i = 0; i < l * l; i++) total += a[i]! ** 2;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let i = 0; i < l; i++) for (let j = i + 1; j < l; j++) off += a[i * l + j]! ** 2;
    if (off <= 1e-20 * total) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

export interface TrainOptions {
  k?: number;
  /** Keep terms in at least this many documents. */
  minDf?: number;
  powerIterations?: number;
  seed?: number;
}

/** Learns an LSA model from documents (title + abstract texts). */
export function trainLsa(texts: string[], opts: TrainOptions = {}): LsaModel {
  const docs = texts.map(lsaTerms);
  const n = docs.length;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const minDf = opts.minDf ?? 2;
  const vocabulary = new Map<string, number>();
  for (const [t, c] of df) if (c >= minDf && c <= n * 0.5) vocabulary.set(t, vocabulary.size);
  const m = vocabulary.size;
  const idf = new Float32Array(m);
  for (const [t, id] of vocabulary) idf[id] = Math.log((n + 1) / (df.get(t)! + 0.5));
  const k = Math.max(1, Math.min(opts.k ?? 256, m - 1, n - 1));
  const l = Math.min(k + 16, m, n);
  const a: Sparse = { ids: [], weights: [] };
  for (const d of docs) {
    const row = tfidfRow(d, vocabulary, idf);
    a.ids.push(row.ids);
    a.weights.push(row.weights);
  }
  const rand = gaussian(opts.seed ?? 42);
  const omega = new Float64Array(m * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rand();
  let y = multiply(a, omega, l);
  orthonormalize(y, n, l);
  for (let it = 0; it < (opts.powerIterations ?? 1); it++) {
    const z = multiplyT(a, y, l, m);
    orthonormalize(z, m, l);
    y = multiply(a, z, l);
    orthonormalize(y, n, l);
  }
  // B = Qᵀ A is l×m; we hold Bᵀ = Aᵀ Q (m×l). B Bᵀ = (Bᵀ)ᵀ Bᵀ is l×l.
  const bt = multiplyT(a, y, l, m);
  const bbt = new Float64Array(l * l);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < l; i++) {
      const x = bt[r * l + i]!;
      if (x === 0) continue;
      for (let j = i; j < l; j++) bbt[i * l + j]! += x * bt[r * l + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i]!;
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((x, z) => values[z]! - values[x]!).slice(0, k);
  // Right singular vectors V = Bᵀ Ũ Σ⁻¹. Fold-in of a tf-idf row d is d·V·Σ⁻¹… we keep d·V (unit-normalised later),
  // which is the document's coordinates in the latent space up to the σ scaling LSA uses to compare documents (d·V·Σ⁻¹·Σ = d·V).
  const projection = new Float32Array(m * k);
  order.forEach((col, c) => {
    const sigma = Math.sqrt(Math.max(values[col]!, 1e-12));
    const u = new Float64Array(l);
    for (let i = 0; i < l; i++) u[i] = vectors[i * l + col]! / sigma;
    for (let r = 0; r < m; r++) {
      let s = 0;
      const off = r * l;
      for (let i = 0; i < l; i++) s += bt[off + i]! * u[i]!;
      projection[r * k + c] = s;
    }
  });
  return { vocabulary, idf, projection, k, documents: n };
}

/** A unit vector for any text in the model's latent space (zero when it shares no term with the corpus). */
export function embedLsa(model: LsaModel, text: string): Float32Array {
  const { ids, weights } = tfidfRow(lsaTerms(text), model.vocabulary, model.idf);
  const out = new Float32Array(model.k);
  for (let j = 0; j < ids.length; j++) {
    const off = ids[j]! * model.k;
    const w = weights[j]!;
    for (let c = 0; c < model.k; c++) out[c]! += w * model.projection[off + c]!;
  }
  let norm = 0;
  for (let c = 0; c < model.k; c++) norm += out[c]! ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let c = 0; c < model.k; c++) out[c] = out[c]! / norm;
  return out;
}
