// arXiv category codes and their names (https://arxiv.org/category_taxonomy), for headings and filters.
const NAMES: Record<string, string> = {
  'cs.AI': 'Artificial Intelligence', 'cs.AR': 'Hardware Architecture', 'cs.CC': 'Computational Complexity',
  'cs.CE': 'Computational Engineering, Finance, and Science', 'cs.CG': 'Computational Geometry',
  'cs.CL': 'Computation and Language', 'cs.CR': 'Cryptography and Security', 'cs.CV': 'Computer Vision and Pattern Recognition',
  'cs.CY': 'Computers and Society', 'cs.DB': 'Databases', 'cs.DC': 'Distributed, Parallel, and Cluster Computing',
  'cs.DL': 'Digital Libraries', 'cs.DM': 'Discrete Mathematics', 'cs.DS': 'Data Structures and Algorithms',
  'cs.ET': 'Emerging Technologies', 'cs.FL': 'Formal Languages and Automata Theory', 'cs.GL': 'General Literature',
  'cs.GR': 'Graphics', 'cs.GT': 'Computer Science and Game Theory', 'cs.HC': 'Human-Computer Interaction',
  'cs.IR': 'Information Retrieval', 'cs.IT': 'Information Theory', 'cs.LG': 'Machine Learning', 'cs.LO': 'Logic in Computer Science',
  'cs.MA': 'Multiagent Systems', 'cs.MM': 'Multimedia', 'cs.MS': 'Mathematical Software', 'cs.NA': 'Numerical Analysis',
  'cs.NE': 'Neural and Evolutionary Computing', 'cs.NI': 'Networking and Internet Architecture', 'cs.OH': 'Other Computer Science',
  'cs.OS': 'Operating Systems', 'cs.PF': 'Performance', 'cs.PL': 'Programming Languages', 'cs.RO': 'Robotics',
  'cs.SC': 'Symbolic Computation', 'cs.SD': 'Sound', 'cs.SE': 'Software Engineering', 'cs.SI': 'Social and Information Networks',
  'cs.SY': 'Systems and Control',
  'eess.AS': 'Audio and Speech Processing', 'eess.IV': 'Image and Video Processing', 'eess.SP': 'Signal Processing', 'eess.SY': 'Systems and Control',
  'stat.AP': 'Applications', 'stat.CO': 'Computation', 'stat.ME': 'Methodology', 'stat.ML': 'Machine Learning (Statistics)',
  'stat.OT': 'Other Statistics', 'stat.TH': 'Statistics Theory',
  'math.AG': 'Algebraic Geometry', 'math.AT': 'Algebraic Topology', 'math.CO': 'Combinatorics', 'math.DG': 'Differential Geometry',
  'math.NA': 'Numerical Analysis', 'math.OC': 'Optimization and Control', 'math.PR': 'Probability', 'math.ST': 'Statistics Theory',
  'math.IT': 'Information Theory', 'math.LO': 'Logic', 'math.NT': 'Number Theory',
  'q-bio.BM': 'Biomolecules', 'q-bio.CB': 'Cell Behavior', 'q-bio.GN': 'Genomics', 'q-bio.NC': 'Neurons and Cognition',
  'q-bio.PE': 'Populations and Evolution', 'q-bio.QM': 'Quantitative Methods', 'q-bio.TO': 'Tissues and Organs',
  'q-fin.CP': 'Computational Finance', 'q-fin.GN': 'General Finance', 'q-fin.ST': 'Statistical Finance',
  'econ.EM': 'Econometrics', 'econ.GN': 'General Economics', 'econ.TH': 'Theoretical Economics',
  'quant-ph': 'Quantum Physics', 'hep-th': 'High Energy Physics - Theory', 'hep-ph': 'High Energy Physics - Phenomenology',
  'hep-ex': 'High Energy Physics - Experiment', 'hep-lat': 'High Energy Physics - Lattice', 'gr-qc': 'General Relativity and Quantum Cosmology',
  'math-ph': 'Mathematical Physics', 'nucl-th': 'Nuclear Theory', 'nucl-ex': 'Nuclear Experiment',
  'astro-ph.CO': 'Cosmology and Nongalactic Astrophysics', 'astro-ph.GA': 'Astrophysics of Galaxies', 'astro-ph.HE': 'High Energy Astrophysical Phenomena',
  'astro-ph.IM': 'Instrumentation and Methods for Astrophysics', 'astro-ph.SR': 'Solar and Stellar Astrophysics',
  'cond-mat.mtrl-sci': 'Materials Science', 'cond-mat.stat-mech': 'Statistical Mechanics', 'cond-mat.dis-nn': 'Disordered Systems and Neural Networks',
  'physics.chem-ph': 'Chemical Physics', 'physics.comp-ph': 'Computational Physics', 'physics.ed-ph': 'Physics Education',
  'physics.flu-dyn': 'Fluid Dynamics', 'physics.geo-ph': 'Geophysics', 'physics.med-ph': 'Medical Physics', 'physics.optics': 'Optics',
  'physics.plasm-ph': 'Plasma Physics', 'physics.soc-ph': 'Physics and Society', 'physics.space-ph': 'Space Physics',
};

/** The human name of an arXiv category, or undefined for a code we do not know. */
export function categoryName(code: string): string | undefined {
  return NAMES[code];
}

/** Whether a string has the shape of an arXiv category code (cs.CL, hep-th, cond-mat.mtrl-sci). */
export function isCategoryCode(s: string): boolean {
  return /^[a-z]+(-[a-z]+)?(\.[A-Za-z]+(-[a-z]+)?)?$/.test(s) && s.length <= 30;
}
