// The search page (/cari/): runs Pagefind in the browser against the index the
// `search` plugin wrote into the site, and keeps the query, the filters and the
// sort order in the URL (/cari/?q=tawuran&satuan=polsek-johar-baru) so that a
// search can be shared and the back button returns to the previous one.
//
// Filter values are term slugs (data-pagefind-filter in article.html); their
// display names come from the <option>s the theme rendered from the registry.
//
// The index is split into shards of consecutive releases (plugins/search.py,
// docs/search.md). Pagefind's own index in pagefind/ holds no release: the page
// merges into it (`mergeIndex`) the shards a search needs, newest first for the
// default order, and only as many as the results shown need. Each merged shard
// carries a filter of its own (SHARD_FILTER) that every search sets, so a
// search reads only the shards chosen for it. Which shards can match a query
// comes from pagefind/words/ (every word of the archive, with its shards).

const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 300;
const SORTS = {
  "": { tanggal: "desc" },
  terlama: { tanggal: "asc" },
  relevan: null, // Pagefind's ranking, over the whole archive
};
const SHARD_FILTER = "bagian"; // value: the shard's position in shards.json
const NO_SHARD = "-"; // no page has it: such a search only counts, it scores nothing
// Shards merged for earlier searches and unused by the current one, kept
// before the page starts again with none (each merged shard is searched
// again by every later search, and Pagefind cannot unmerge one).
const SPARE_SHARDS = 2;

const root = document.getElementById("pencarian");
const form = document.getElementById("form-cari");
const input = document.getElementById("kata-kunci");
const sortSelect = document.getElementById("urutan");
const facetSelects = [...form.querySelectorAll("select[data-facet]")];
const statusLine = document.getElementById("status-cari");
const list = document.getElementById("hasil-cari");
const moreButton = document.getElementById("lebih-banyak");
const resetButton = document.getElementById("hapus-saringan");
const options = document.getElementById("saringan");
const activeCount = document.getElementById("saringan-aktif");
const follow = {
  heading: document.getElementById("ikuti-judul"),
  about: document.getElementById("ikuti-tentang"),
  link: document.getElementById("ikuti-umpan"),
  address: document.getElementById("ikuti-alamat"),
  note: document.getElementById("ikuti-catatan"),
};

const siteRoot = new URL(root.dataset.siteRoot, document.baseURI);
const bundleUrl = new URL(root.dataset.bundle, siteRoot);
const pageTitle = document.title;
const followAll = {
  heading: follow.heading.textContent,
  about: follow.about.textContent,
  feed: follow.link.getAttribute("href"),
};
const longDate = new Intl.DateTimeFormat("id-ID", { dateStyle: "long", timeZone: "UTC" });

// facet ("satuan") -> slug -> display name
const names = Object.fromEntries(
  facetSelects.map((select) => [
    select.name,
    new Map([...select.options].filter((o) => o.value).map((o) => [o.value, o.dataset.name])),
  ]),
);

let runtimeLoading = null;
let archiveCounts = null; // facet -> slug -> releases in the whole archive
let countsWanted = false; // the reader has reached for the filters
let current = null; // the search on the page: {state, outcome}
let shown = 0;
let generation = 0; // answers to a superseded search are dropped
let typing = false; // consecutive keystrokes share one history entry
let typingTimer = 0;

// --- Pagefind and the shards --------------------------------------------------------

// Pagefind runs without its web worker: the shards a search reads hold at
// most SEARCH_SHARD_SIZE releases each, so a search is short, and the worker
// would add 12 kB to a first search.
function loadRuntime() {
  runtimeLoading ??= Promise.all([
    import(new URL("pagefind.js", bundleUrl).href),
    fetch(new URL("shards.json", bundleUrl)).then((response) => {
      if (!response.ok) throw new Error(`shards.json: ${response.status}`);
      return response.json();
    }),
  ]).then(([pagefind, manifest]) => ({ pagefind, ...prepareManifest(manifest), session: null }));
  return runtimeLoading;
}

function prepareManifest(manifest) {
  const shards = manifest.shards;
  const longest = Math.max(...shards.map((shard) => shard.releases)) + 1;
  return {
    shards,
    wordFiles: manifest.words,
    wordsLoaded: new Map(),
    // Pagefind scores a sorted result by its position in its shard (from 1,
    // plugins/search.py); each merged shard multiplies that by its weight,
    // 1 + position of the shard × step, so both can be read back.
    step: 1 / (2 * (longest + 1) * shards.length),
    allShards: shards.map((_, position) => position),
  };
}

// One search at a time: merging shards and starting afresh change Pagefind's state.
let queue = Promise.resolve();
function exclusive(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

async function startSession(runtime, playground) {
  const { pagefind } = runtime;
  if (runtime.session) await pagefind.destroy();
  await pagefind.options({ baseUrl: siteRoot.pathname, noWorker: true });
  await pagefind.init();
  // Only Pagefind's own index (no release) is in this mode: its answers carry
  // the query's words as Pagefind stems them.
  await pagefind.enterPlaygroundMode();
  runtime.session = { merged: new Set(), playground };
}

// Merged shards are searched by every search; start afresh when too many are
// of no use to the next one, or when the relevance order needs Pagefind's
// scoring details (playground mode) from the shards, or no longer needs them.
async function prepareSession(runtime, playground, useful) {
  const session = runtime.session;
  const unused = session ? [...session.merged].filter((p) => !useful.includes(p)).length : 0;
  if (!session || session.broken || session.playground !== playground || unused > SPARE_SHARDS) {
    await startSession(runtime, playground);
  }
}

async function merge(runtime, positions) {
  const { pagefind, session, shards, step } = runtime;
  const fresh = positions.filter((position) => !session.merged.has(position));
  for (const position of fresh) session.merged.add(position);
  try {
    await Promise.all(
      fresh.map((position) =>
        pagefind.mergeIndex(new URL(shards[position].path, bundleUrl).href, {
          baseUrl: siteRoot.pathname,
          indexWeight: 1 + position * step,
          mergeFilter: { [SHARD_FILTER]: String(position) },
          metaCacheTag: shards[position].tag,
          playground: session.playground,
        }),
      ),
    );
  } catch (error) {
    session.broken = true; // a shard Pagefind could not load: the next search starts afresh
    throw error;
  }
}

// The filter value for "in one of these shards" (an array alone means all of them).
function inShards(positions) {
  return { any: positions.map(String) };
}

// Pagefind counts the filter values of a search only for the filters whose
// chunks it loaded: `filters()` loads every filter's, in every merged shard.
async function loadFilters(runtime, positions) {
  await merge(runtime, positions);
  const counts = await runtime.pagefind.filters();
  if (positions.length === runtime.shards.length) archiveCounts ??= counts;
}

// (shard, position in its sort order) of a date-sorted result, from its score.
function placeOf(runtime, result) {
  const score = Math.abs(result.score);
  const place = Math.round(score);
  return [Math.round((score / place - 1) / runtime.step), place];
}

// --- which shards can match a query -----------------------------------------------

// Pagefind's words (stemmed, lower case) for the query, from its own index.
async function stemsOf(runtime, q) {
  const probe = await runtime.pagefind.search(q, { filters: { [SHARD_FILTER]: NO_SHARD } });
  return probe.search_keywords ?? null;
}

async function wordFile(runtime, index) {
  if (!runtime.wordsLoaded.has(index)) {
    const url = new URL(runtime.wordFiles[index][1], bundleUrl);
    runtime.wordsLoaded.set(
      index,
      fetch(url).then((response) => {
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        return response.json();
      }),
    );
  }
  return runtime.wordsLoaded.get(index);
}

// The last word file whose first word is not after `word`.
function wordFileFor(runtime, word) {
  const files = runtime.wordFiles;
  let low = 0;
  let high = files.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (files[middle][0] <= word) low = middle;
    else high = middle - 1;
  }
  return low;
}

function shardsIn(ranges) {
  const found = [];
  for (const range of ranges.split(",")) {
    const [from, to = from] = range.split("-").map(Number);
    for (let position = from; position <= to; position++) found.push(position);
  }
  return found;
}

// What Pagefind matches for one stem: every word that begins with it or,
// when no word of the archive does, the longest word that begins the stem.
// Returns {words: Set, shards: Set}.
async function matchesOf(runtime, stem) {
  const words = new Set();
  const shards = new Set();
  const last = wordFileFor(runtime, `${stem}\uffff`);
  for (let index = wordFileFor(runtime, stem); index <= last; index++) {
    const file = await wordFile(runtime, index);
    file.w.forEach((word, at) => {
      if (!word.startsWith(stem)) return;
      words.add(word);
      for (const position of shardsIn(file.s[at])) shards.add(position);
    });
  }
  for (let length = stem.length - 1; !words.size && length > 0; length--) {
    const prefix = stem.slice(0, length);
    const file = await wordFile(runtime, wordFileFor(runtime, prefix));
    const at = file.w.indexOf(prefix);
    if (at >= 0) {
      words.add(prefix);
      for (const position of shardsIn(file.s[at])) shards.add(position);
    }
  }
  return { words, shards };
}

// The shards that can hold a result (every word of the query in them), and
// for each stem what it matches. A shard without a word beginning with the
// stem would match a shorter word instead (Pagefind's fallback), which the
// whole archive would not: such a shard is never asked.
// `positions` heeds the year filter, `anyYear` does not (the years' counts need it).
async function route(runtime, state) {
  let anyYear = runtime.allShards;
  let terms = [];
  const stems = state.q ? await stemsOf(runtime, state.q) : null;
  // No stems for a quoted phrase: Pagefind does not stem one.
  if (stems) {
    terms = await Promise.all(
      stems.map(async (stem) => ({ stem, ...(await matchesOf(runtime, stem)) })),
    );
    anyYear = anyYear.filter((position) => terms.every((term) => term.shards.has(position)));
  }
  const year = Number(state.filters.tahun);
  const positions = anyYear.filter((position) => {
    const shard = runtime.shards[position];
    return !year || (Number(shard.first.slice(0, 4)) <= year && year <= Number(shard.last.slice(0, 4)));
  });
  return { positions, anyYear, terms };
}

// --- searching ------------------------------------------------------------------------

// The results of `state`, in its order, at least `wanted` of them if there are
// that many. Returns {results, complete, searched: [positions], counts}.
async function find(state, wanted, withCounts, stale) {
  const runtime = await loadRuntime();
  if (!runtime.session || runtime.session.broken) await startSession(runtime, false);
  const routed = await route(runtime, state);
  if (stale()) return null;
  if (!routed.positions.length) {
    return { results: [], complete: true, searched: [], counts: {}, shards: runtime.shards };
  }
  const filters = activeFilters(state.filters);
  if (state.q && state.sort === "relevan" && runtime.shards.length > 1) {
    return await findByRelevance(runtime, state, routed, filters, withCounts);
  }
  const order = state.sort === "terlama" ? routed.positions : [...routed.positions].reverse();
  await prepareSession(runtime, false, withCounts ? routed.anyYear : order);
  const sort = state.q ? SORTS[state.sort] : SORTS[state.sort] || SORTS[""];
  const merged = runtime.session.merged;
  const ready = order.findIndex((position) => !merged.has(position));
  let count = withCounts || ready < 0 ? order.length : Math.max(1, ready);
  if (withCounts) await loadFilters(runtime, routed.anyYear);
  for (;;) {
    const searched = order.slice(0, count);
    await merge(runtime, searched);
    if (stale()) return null;
    const search = await runtime.pagefind.search(state.q || null, {
      filters: { ...filters, [SHARD_FILTER]: inShards(searched) },
      ...(sort ? { sort } : {}),
    });
    const complete = count >= order.length;
    if (complete || search.results.length >= wanted) {
      const results = sort ? inDateOrder(runtime, search.results, sort) : search.results;
      const counts = withCounts ? await facetCounts(runtime, state, search, routed) : null;
      return { results, complete, searched, counts, shards: runtime.shards };
    }
    if (stale()) return null;
    count = Math.min(order.length, count * 2);
  }
}

function inDateOrder(runtime, results, sort) {
  const direction = sort.tanggal === "asc" ? 1 : -1;
  const placed = results.map((result) => [placeOf(runtime, result), result]);
  placed.sort(([a], [b]) => direction * (a[0] - b[0] || a[1] - b[1]));
  return placed.map(([, result]) => result);
}

// How many results each option of each facet would give, the other facets'
// choices kept: choosing a unit must not make the other units look empty.
async function facetCounts(runtime, state, search, routed) {
  const counts = {};
  for (const select of facetSelects) {
    const facet = select.name;
    if (!state.filters[facet]) {
      counts[facet] = search.filters[facet] ?? {};
      continue;
    }
    const others = activeFilters({ ...state.filters, [facet]: "" });
    if (!state.q && !Object.keys(others).length && archiveCounts) {
      counts[facet] = archiveCounts[facet] ?? {};
    } else {
      const shards = facet === "tahun" ? routed.anyYear : routed.positions;
      const wider = await runtime.pagefind.search(state.q || null, {
        filters: { ...others, [SHARD_FILTER]: inShards(shards) },
      });
      counts[facet] = wider.filters[facet] ?? {};
    }
  }
  return counts;
}

// --- the relevance order over the whole archive ------------------------------------

// Pagefind scores a page against its own shard: how many pages it has, how
// long they are on average, how many hold each word. Here every result is
// scored again as Pagefind 1.5 scores it in one index of the whole archive
// (pagefind_web's search.rs, in 32-bit floats as there), from what its
// playground mode tells of each result: each matched word's weighted count
// and length bonus, the page's length, and the metadata fields matched.
const f32 = Math.fround;
const SATURATION = f32(1.4); // Pagefind's default ranking weights
const PAGE_LENGTH = f32(0.75);
const TERM_FREQUENCY = f32(1);
const DIACRITIC_SIMILARITY = f32(0.8);
// Pagefind's test for the characters it drops from a query, as written there.
const DROPPED = /^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u;
const graphemes = new Intl.Segmenter("id", { granularity: "grapheme" });

async function findByRelevance(runtime, state, routed, filters, withCounts) {
  const { pagefind } = runtime;
  // Every shard that holds any of the words: a word's page count needs them all.
  const holding = runtime.allShards.filter((position) =>
    routed.terms.some((term) => term.shards.has(position)),
  );
  await prepareSession(runtime, true, holding);
  await merge(runtime, holding);
  if (withCounts) await loadFilters(runtime, routed.anyYear);
  const search = await pagefind.search(state.q, {
    filters: { ...filters, [SHARD_FILTER]: inShards(routed.positions) },
  });
  const archive = await archiveFigures(runtime, state.q, routed.terms);
  const results = rescore(search.results, archive, routed.terms);
  const counts = withCounts ? await facetCounts(runtime, state, search, routed) : null;
  return { results, complete: true, searched: routed.positions, counts, shards: runtime.shards };
}

// The query's words as Pagefind keeps them before stemming.
function pagefindWords(q) {
  const kept = [...graphemes.segment(q)]
    .map(({ segment }) => segment)
    .filter((segment) => !DROPPED.test(segment))
    .map((segment) => segment.toLocaleLowerCase());
  return kept.join("").replace(/\s{2,}/g, " ").trim().split(" ");
}

// Pages, words, and pages holding each query word, in the whole archive.
async function archiveFigures(runtime, q, terms) {
  const words = pagefindWords(q);
  const pages = runtime.shards.reduce((sum, shard) => sum + shard.releases, 0);
  const length = runtime.shards.reduce((sum, shard) => sum + shard.words, 0);
  const holding = await Promise.all(
    terms.map(async (term, index) => {
      // A search that scores nothing still counts, per shard, the pages with the word.
      const answer = await runtime.pagefind.search(words[index] ?? term.stem, {
        filters: { [SHARD_FILTER]: NO_SHARD },
      });
      const perShard = answer.totalFilters[SHARD_FILTER] ?? {};
      return [...term.shards].reduce((sum, position) => sum + (perShard[position] ?? 0), 0);
    }),
  );
  return { words, pages, averageLength: f32(f32(length) / f32(pages)), holding };
}

function inverseFrequency(pages, holding) {
  const ratio = f32(f32(f32(f32(pages) - f32(holding)) + 0.5) / f32(f32(holding) + 0.5));
  return f32(Math.log(f32(ratio + 1)));
}

function termFrequency(weighted, lengthBonus, length, averageLength) {
  const count = f32(weighted * lengthBonus);
  const norm = f32(f32(1 - PAGE_LENGTH) + f32(PAGE_LENGTH * f32(length / averageLength)));
  const bm25 = f32(f32(f32(SATURATION + 1) * count) / f32(f32(SATURATION * norm) + count));
  const raw = Math.min(f32(count / f32(averageLength / 5)), f32(SATURATION + 1));
  return f32(f32(f32(1 - TERM_FREQUENCY) * raw) + f32(TERM_FREQUENCY * bm25));
}

function rescore(results, archive, terms) {
  const idf = terms.map((_, index) => inverseFrequency(archive.pages, archive.holding[index]));
  const totalIdf = idf.reduce((sum, value) => f32(sum + value), 0);
  const termOf = (word) => terms.findIndex((term) => term.words.has(word));
  const scored = results.map((result) => {
    if (!result.scores) return [result.score, result]; // a quoted phrase: no word scores
    let score = 0;
    for (const word of result.scores) {
      const index = termOf(word.search_term);
      const wordScore = f32(
        idf[index] *
          termFrequency(
            word.params.weighted_term_frequency,
            word.params.length_bonus,
            result.params.document_length,
            archive.averageLength,
          ),
      );
      const original = archive.words[index] ?? "";
      const form = word.search_term;
      const bonus =
        form === original || form.startsWith(original) || original.startsWith(form)
          ? f32(1 + DIACRITIC_SIMILARITY)
          : 1;
      score = f32(score + f32(wordScore * bonus));
    }
    let boost = 0;
    for (const field of result.verbose_meta_scores ?? []) {
      const matched = field.matched_terms.reduce((sum, word) => f32(sum + idf[termOf(word)]), 0);
      const coverage = f32(matched / totalIdf);
      if (totalIdf > 0) {
        boost = f32(boost + f32(f32(f32(field.field_weight * matched) * coverage) * coverage));
      }
    }
    return [f32(score + boost), result];
  });
  scored.sort((a, b) => b[0] - a[0]);
  return scored.map(([, result]) => result);
}

// --- state: the URL is the source of truth --------------------------------

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const sort = params.get("urut") ?? "";
  return {
    q: (params.get("q") ?? "").trim(),
    filters: Object.fromEntries(facetSelects.map((s) => [s.name, params.get(s.name) ?? ""])),
    sort: Object.hasOwn(SORTS, sort) ? sort : "",
  };
}

function stateFromForm() {
  return {
    q: input.value.trim(),
    filters: Object.fromEntries(facetSelects.map((s) => [s.name, s.value])),
    sort: sortSelect.value,
  };
}

function showState(state) {
  input.value = state.q;
  for (const select of facetSelects) {
    const value = state.filters[select.name];
    select.value = names[select.name].has(value) ? value : "";
  }
  sortSelect.value = state.sort;
  showActiveCount();
}

// On a phone the filters fold away; they open when one is in use.
function showActiveCount() {
  const count = facetSelects.filter((select) => select.value).length;
  activeCount.textContent = count ? `(${count} aktif)` : "";
  if (count) options.open = true;
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [facet, value] of Object.entries(state.filters)) if (value) params.set(facet, value);
  if (state.sort) params.set("urut", state.sort);
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

function remember(state, how) {
  const url = urlFor(state);
  if (url !== location.pathname + location.search) {
    history[how === "push" ? "pushState" : "replaceState"](null, "", url);
  }
  document.title = state.q ? `“${state.q}” – ${pageTitle}` : pageTitle;
}

function activeFilters(filters) {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value));
}

// --- words ------------------------------------------------------------------

function describe(state) {
  const parts = [];
  if (state.q) parts.push(`untuk “${state.q}”`);
  const chosen = Object.entries(activeFilters(state.filters)).map(([f, v]) => names[f].get(v));
  if (chosen.length) parts.push(`dengan saringan ${chosen.join(", ")}`);
  return parts.length ? ` ${parts.join(" ")}` : "";
}

function found(count, state) {
  return `${count} rilis ditemukan${describe(state)}.`;
}

function partial(count, state, searched, shards) {
  const edge = shards[searched[searched.length - 1]];
  if (state.sort === "terlama") {
    return `${count} rilis ditemukan${describe(state)} sampai ${day(edge.last)}. Rilis yang lebih baru dicari saat Anda menampilkan lebih banyak.`;
  }
  return `${count} rilis ditemukan${describe(state)} sejak ${day(edge.first)}. Rilis yang lebih lama dicari saat Anda menampilkan lebih banyak.`;
}

function day(iso) {
  return longDate.format(new Date(`${iso}T00:00:00Z`));
}

function noneFound(state) {
  const advice = Object.keys(activeFilters(state.filters)).length
    ? "Periksa ejaan, coba kata lain, atau hapus saringan."
    : "Periksa ejaan atau coba kata lain.";
  return `Tidak ada rilis yang cocok${describe(state)}. ${advice}`;
}

// --- following: the Atom feed of the one unit, officer or activity type chosen --

function showFollow(state) {
  const chosen = facetSelects.filter((select) => state.filters[select.name]);
  const select = chosen.length === 1 ? chosen[0] : null;
  const option = select && [...select.options].find((o) => o.value === state.filters[select.name]);
  const feed = option?.dataset.feed; // years have no feed of their own
  let about = followAll.about;
  if (feed) {
    follow.heading.textContent = `Ikuti ${option.dataset.name}`;
    about = `${select.dataset.followAbout} ${option.dataset.name}`;
  } else {
    follow.heading.textContent = followAll.heading;
  }
  follow.about.textContent = about;
  const href = new URL(feed ?? followAll.feed, feed ? siteRoot : document.baseURI).href;
  follow.link.href = href;
  follow.address.value = href;
  let note = "";
  if (feed && state.q) {
    note = `Umpan tidak menyaring kata kunci: umpan di atas memuat semua rilis ${about}.`;
  } else if (!feed && (state.q || chosen.length)) {
    note =
      "Umpan tidak menyaring kata kunci, tahun atau gabungan saringan: umpan di atas memuat " +
      "semua rilis. Untuk mengikuti satu satuan, personel atau jenis kegiatan, pilih saringan itu saja.";
  }
  follow.note.textContent = note;
  follow.note.hidden = !note;
}

// --- the page -------------------------------------------------------------------------

async function run(state) {
  const mine = ++generation;
  const stale = () => mine !== generation;
  showFollow(state);
  const filters = activeFilters(state.filters);
  if (!state.q && !Object.keys(filters).length) {
    current = null;
    list.replaceChildren();
    moreButton.hidden = true;
    showCounts(null);
    statusLine.textContent =
      "Ketik kata kunci, atau pilih satuan, personel, jenis kegiatan atau tahun.";
    return;
  }
  statusLine.textContent = "Mencari…";
  try {
    const outcome = await exclusive(() =>
      stale() ? null : find(state, PAGE_SIZE, wantsCounts(state), stale),
    );
    if (!outcome || stale()) return;
    if (outcome.counts) showCounts(outcome.counts);
    current = { state, outcome };
    shown = 0;
    list.replaceChildren();
    await showMore(mine, false);
  } catch (error) {
    if (stale()) return;
    current = null;
    list.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent =
      "Pencarian tidak dapat dijalankan. Muat ulang halaman, atau telusuri rilis menurut satuan, personel, kegiatan atau arsip bulanan.";
    console.error(error);
    return;
  }
  if (stale()) return;
  // Announced once the results are on the page.
  statusLine.textContent = statusOf(current);
}

function wantsCounts(state) {
  return countsWanted || Object.keys(activeFilters(state.filters)).length > 0;
}

// The filter counts need every shard that can match, so they wait until the
// reader reaches for the filters (opens them, or moves into them) or uses one.
function requestCounts() {
  if (countsWanted) return;
  countsWanted = true;
  countCurrentSearch();
}

// The filters were opened after a search: add the counts to its options.
async function countCurrentSearch() {
  if (!current) return;
  const mine = generation;
  const stale = () => mine !== generation;
  const { state } = current;
  try {
    const outcome = await exclusive(() =>
      stale() ? null : find(state, Math.max(shown, PAGE_SIZE), true, stale),
    );
    if (!outcome || stale()) return;
    showCounts(outcome.counts);
    current.outcome = outcome;
    showMoreButton();
    statusLine.textContent = statusOf(current);
  } catch (error) {
    console.error(error); // the options keep their names without counts
  }
}

function showCounts(counts) {
  for (const select of facetSelects) {
    for (const option of select.options) {
      if (!option.value) continue;
      const count = counts?.[select.name]?.[option.value];
      option.textContent =
        count === undefined ? option.dataset.name : `${option.dataset.name} (${count})`;
    }
  }
}

async function showMore(mine, moveFocus) {
  const stale = () => mine !== generation;
  let { state, outcome } = current;
  if (shown + PAGE_SIZE > outcome.results.length && !outcome.complete) {
    // Older (or, oldest first, newer) shards for the next results.
    const wider = await exclusive(() =>
      stale() ? null : find(state, shown + PAGE_SIZE, false, stale),
    );
    if (!wider || stale()) return;
    outcome = current.outcome = { ...wider, counts: outcome.counts };
  }
  const batch = outcome.results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (stale()) return;
  const items = data.map(resultItem);
  list.append(...items);
  shown += batch.length;
  showMoreButton();
  if (moveFocus) statusLine.textContent = statusOf(current);
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

function showMoreButton() {
  const { results, complete } = current.outcome;
  const left = results.length - shown;
  moreButton.hidden = complete && left <= 0;
  moreButton.textContent = complete
    ? `Tampilkan ${Math.min(left, PAGE_SIZE)} lagi (${shown} dari ${results.length} ditampilkan)`
    : `Tampilkan lebih banyak (${shown} ditampilkan)`;
}

// The status line. Until every shard that can match is searched, the count
// says how far back (or, oldest first, how far forward) it reaches.
function statusOf({ state, outcome }) {
  const count = outcome.results.length;
  if (outcome.complete) return count ? found(count, state) : noneFound(state);
  return partial(count, state, outcome.searched, outcome.shards);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function resultItem(data) {
  const item = element("li", "release-card");
  const article = element("article");
  const heading = element("h2", "release-card__title");
  const link = element("a", "", data.meta.title);
  link.href = data.url;
  heading.append(link);
  const meta = element("p", "meta");
  meta.append(element("span", "", data.meta.tanggal));
  const units = (data.filters.satuan ?? []).map((slug) => names.satuan?.get(slug) ?? slug);
  if (units.length) meta.append(` · ${units.join(", ")}`);
  const excerpt = element("p", "search-excerpt");
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds <mark>
  article.append(heading, meta, excerpt);
  item.append(article);
  return item;
}

// --- wiring --------------------------------------------------------------------

function commit() {
  showActiveCount();
  clearTimeout(typingTimer);
  typing = false;
  const state = stateFromForm();
  remember(state, "push");
  run(state);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  commit();
});
for (const select of [...facetSelects, sortSelect]) select.addEventListener("change", commit);
input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    const state = stateFromForm();
    remember(state, typing ? "replace" : "push");
    typing = true;
    run(state);
  }, TYPING_DELAY_MS);
});
resetButton.addEventListener("click", () => {
  for (const select of [...facetSelects, sortSelect]) select.value = "";
  commit();
});
moreButton.addEventListener("click", () => showMore(generation, true));
options.querySelector("summary").addEventListener("click", requestCounts);
options.querySelector("fieldset").addEventListener("focusin", requestCounts);
window.addEventListener("popstate", () => {
  clearTimeout(typingTimer);
  typing = false;
  const state = stateFromUrl();
  showState(state);
  document.title = state.q ? `“${state.q}” – ${pageTitle}` : pageTitle;
  run(stateFromForm());
});

form.hidden = false;
options.open = window.matchMedia("(min-width: 40rem)").matches;
showState(stateFromUrl());
const initial = stateFromForm();
remember(initial, "replace"); // drops unknown filter values from the URL
if (!initial.q && !Object.keys(activeFilters(initial.filters)).length) {
  input.focus();
  // Pagefind, shards.json and the WebAssembly (preloaded by the page) are
  // started while the reader types; a failure is reported by the first search.
  exclusive(async () => {
    const runtime = await loadRuntime();
    if (!runtime.session) await startSession(runtime, false);
  }).catch(() => {});
}
run(initial);
