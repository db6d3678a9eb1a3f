// Suffix array by SA-IS (Nong, Zhang & Chan, "Two Efficient Algorithms for Linear Time Suffix Array
// Construction", 2011), the LCP array by the permuted-LCP method (Kärkkäinen, Manzini & Puglisi,
// CPM 2009), and the bottom-up walk over LCP intervals (Abouelhoda, Kurtz & Ohlebusch, 2004) that
// visits every internal node of the suffix tree. Written here from the papers.
//
// Memory: the text, the suffix array and one more array of n int32 (the PLCP), plus n bytes of
// suffix types per recursion level. For n characters that is ~13n bytes at the peak.

/**
 * The suffix array of `t` (length n). `t[n - 1]` must be 0 and 0 must occur nowhere else (a sentinel);
 * all values are in [0, alphabetSize). Returns SA with SA[0] = n - 1.
 */
export function suffixArray(t: Int32Array, alphabetSize: number): Int32Array {
  const n = t.length;
  if (n === 0) return new Int32Array(0);
  const sa = new Int32Array(n);
  sais(t, n, alphabetSize, sa);
  return sa;
}

function sais(t: Int32Array, n: number, k: number, sa: Int32Array): void {
  if (n === 1) {
    sa[0] = 0;
    return;
  }
  // isS[i] = 1 when suffix i is S-type (smaller than suffix i + 1).
  const isS = new Uint8Array(n);
  isS[n - 1] = 1;
  for (let i = n - 2; i >= 0; i--) {
    const a = t[i] as number;
    const b = t[i + 1] as number;
    isS[i] = a < b || (a === b && isS[i + 1] === 1) ? 1 : 0;
  }
  const isLms = (i: number) => i > 0 && isS[i] === 1 && isS[i - 1] === 0;

  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[t[i] as number]!++;
  const bucket = new Int32Array(k);
  const bucketEnds = () => {
    let sum = 0;
    for (let c = 0; c < k; c++) bucket[c] = sum += counts[c] as number;
  };
  const bucketStarts = () => {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      bucket[c] = sum;
      sum += counts[c] as number;
    }
  };
  const induce = () => {
    bucketStarts();
    for (let i = 0; i < n; i++) {
      const j = (sa[i] as number) - 1;
      if (j >= 0 && isS[j] === 0) sa[bucket[t[j] as number]!++] = j;
    }
    bucketEnds();
    for (let i = n - 1; i >= 0; i--) {
      const j = (sa[i] as number) - 1;
      if (j >= 0 && isS[j] === 1) sa[--bucket[t[j] as number]!] = j;
    }
  };

  // 1. Sort the LMS substrings: drop LMS positions at their bucket ends, induce.
  sa.fill(-1);
  bucketEnds();
  for (let i = 1; i < n; i++) if (isLms(i)) sa[--bucket[t[i] as number]!] = i;
  induce();

  // 2. Compact the sorted LMS positions to the front and name the LMS substrings.
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const p = sa[i] as number;
    if (isLms(p)) sa[n1++] = p;
  }
  sa.fill(-1, n1);
  let names = 0;
  let prev = -1;
  for (let i = 0; i < n1; i++) {
    const pos = sa[i] as number;
    let differs = prev < 0;
    for (let d = 0; !differs; d++) {
      if (t[pos + d] !== t[prev + d] || isS[pos + d] !== isS[prev + d]) differs = true;
      else if (d > 0 && (isLms(pos + d) || isLms(prev + d))) break;
    }
    if (differs) {
      names++;
      prev = pos;
    }
    sa[n1 + (pos >> 1)] = names - 1;
  }
  for (let i = n - 1, j = n - 1; i >= n1; i--) {
    const v = sa[i] as number;
    if (v >= 0) sa[j--] = v;
  }

  // 3. Sort the LMS suffixes: recurse on the reduced string when names repeat.
  const s1 = sa.subarray(n - n1, n);
  const sa1 = sa.subarray(0, n1);
  if (names < n1) sais(s1, n1, names, sa1);
  else for (let i = 0; i < n1; i++) sa1[s1[i] as number] = i;

  // 4. Put the sorted LMS suffixes at their bucket ends and induce the full order.
  for (let i = 1, j = 0; i < n; i++) if (isLms(i)) s1[j++] = i;
  for (let i = 0; i < n1; i++) sa1[i] = s1[sa1[i] as number] as number;
  sa.fill(-1, n1);
  bucketEnds();
  for (let i = n1 - 1; i >= 0; i--) {
    const j = sa[i] as number;
    sa[i] = -1;
    sa[--bucket[t[j] as number]!] = j;
  }
  induce();
}

/**
 * PLCP[i] = length of the longest common prefix of suffix i and the suffix before it in SA order
 * (0 for SA[0]). LCP[k] is then PLCP[SA[k]].
 */
export function permutedLcp(t: Int32Array, sa: Int32Array): Int32Array {
  const n = t.length;
  const plcp = new Int32Array(n);
  if (n === 0) return plcp;
  plcp[sa[0] as number] = -1; // phi: the suffix before it in SA order
  for (let k = 1; k < n; k++) plcp[sa[k] as number] = sa[k - 1] as number;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const j = plcp[i] as number;
    if (j < 0) {
      plcp[i] = 0;
      h = 0;
      continue;
    }
    while (i + h < n && j + h < n && t[i + h] === t[j + h]) h++;
    plcp[i] = h;
    if (h > 0) h--;
  }
  return plcp;
}

/**
 * Calls `visit(depth, lb, rb)` for every internal node of the suffix tree: an LCP interval [lb, rb]
 * of SA (rb - lb + 1 ≥ 2 suffixes) whose suffixes share exactly `depth` ≥ 1 leading characters.
 * These are the substrings that occur at least twice and are followed by two different characters.
 */
export function forEachLcpInterval(
  sa: Int32Array,
  plcp: Int32Array,
  visit: (depth: number, lb: number, rb: number) => void,
): void {
  const n = sa.length;
  const stackDepth = new Int32Array(n + 1);
  const stackLb = new Int32Array(n + 1);
  let top = 0;
  stackDepth[0] = 0;
  stackLb[0] = 0;
  for (let i = 1; i <= n; i++) {
    const lcp = i < n ? (plcp[sa[i] as number] as number) : 0;
    let lb = i - 1;
    while (lcp < (stackDepth[top] as number)) {
      const depth = stackDepth[top] as number;
      lb = stackLb[top] as number;
      top--;
      visit(depth, lb, i - 1);
    }
    if (lcp > (stackDepth[top] as number)) {
      top++;
      stackDepth[top] = lcp;
      stackLb[top] = lb;
    }
  }
}
