// Deterministic PRNG for the corpus generator: sfc32 seeded through a string hash (no Math.random).
function xmur3(str) {
  let h = 1779033703 ^ str.length;
  for (let i = 0; i < str.length; i++) {
    h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

export function createRng(seed) {
  const next32 = xmur3(`ssot-bench:${seed}`);
  let a = next32(),
    b = next32(),
    c = next32(),
    d = next32();
  const float = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) float();
  const rng = {
    float,
    /** integer in [0, n) */
    int: (n) => Math.floor(float() * n),
    /** integer in [lo, hi] */
    range: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    chance: (p) => float() < p,
    pick: (arr) => arr[Math.floor(float() * arr.length)],
    weighted(entries) {
      // entries: [[value, weight], ...]
      let total = 0;
      for (const [, w] of entries) total += w;
      let r = float() * total;
      for (const [v, w] of entries) {
        if ((r -= w) < 0) return v;
      }
      return entries[entries.length - 1][0];
    },
    shuffle(arr) {
      const out = arr.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(float() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
    /** a derived, independent generator (so adding draws in one place does not shift another) */
    fork: (label) => createRng(`${seed}/${label}`),
  };
  return rng;
}
