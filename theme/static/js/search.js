// The search page (/cari/): runs Pagefind in the browser against the index the
// `search` plugin wrote into the site, and keeps the query, the filters and the
// sort order in the URL (/cari/?q=tawuran&satuan=polsek-johar-baru) so that a
// search can be shared and the back button returns to the previous one.
//
// Filter values are term slugs (data-pagefind-filter in article.html); their
// display names come from the <option>s the theme rendered from the registry.

const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 300;
const SORTS = {
  "": { tanggal: "desc" },
  terlama: { tanggal: "asc" },
  relevan: null, // Pagefind's own ranking
};

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

// facet ("satuan") -> slug -> display name
const names = Object.fromEntries(
  facetSelects.map((select) => [
    select.name,
    new Map([...select.options].filter((o) => o.value).map((o) => [o.value, o.dataset.name])),
  ]),
);

let pagefindLoading = null;
let filterChunksLoading = null;
let countsWanted = false; // the reader has reached for the filters
let archiveCounts = {}; // facet -> slug -> releases in the whole archive
let results = [];
let shown = 0;
let generation = 0; // answers to a superseded search are dropped
let typing = false; // consecutive keystrokes share one history entry
let typingTimer = 0;

function loadPagefind() {
  pagefindLoading ??= import(new URL("pagefind.js", bundleUrl).href).then(async (pagefind) => {
    // Pagefind's worker stays on (12 kB gzipped): at 10,000 releases a search
    // for a common word takes about a second, which would freeze the page.
    await pagefind.options({ baseUrl: siteRoot.pathname });
    await pagefind.init();
    return pagefind;
  });
  return pagefindLoading;
}

// The filter chunks give each option its count. On a large archive they weigh
// more than half as much as a first query, so they load only when the reader
// reaches for the filters (opens them, or moves into them) or uses one.
function loadFilterChunks(pagefind) {
  filterChunksLoading ??= pagefind.filters().then((counts) => {
    archiveCounts = counts;
  });
  return filterChunksLoading;
}

function wantsCounts(state) {
  return countsWanted || Object.keys(activeFilters(state.filters)).length > 0;
}

function requestCounts() {
  if (countsWanted) return;
  countsWanted = true;
  if (!filterChunksLoading) countCurrentSearch();
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

// --- searching ----------------------------------------------------------------

async function run(state) {
  const mine = ++generation;
  showFollow(state);
  const filters = activeFilters(state.filters);
  if (!state.q && !Object.keys(filters).length) {
    results = [];
    list.replaceChildren();
    moreButton.hidden = true;
    showCounts(null);
    statusLine.textContent =
      "Ketik kata kunci, atau pilih satuan, personel, jenis kegiatan atau tahun.";
    return;
  }
  statusLine.textContent = "Mencari…";
  try {
    const pagefind = await loadPagefind();
    const withCounts = wantsCounts(state);
    if (withCounts) await loadFilterChunks(pagefind);
    const sort = state.q ? SORTS[state.sort] : SORTS[state.sort] || SORTS[""];
    const search = await pagefind.search(state.q || null, sort ? { filters, sort } : { filters });
    if (mine !== generation) return;
    if (withCounts) {
      const counts = await facetCounts(pagefind, state, search);
      if (mine !== generation) return;
      showCounts(counts);
    }
    results = search.results;
    shown = 0;
    list.replaceChildren();
    await showMore(mine, false);
  } catch (error) {
    if (mine !== generation) return;
    results = [];
    list.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent =
      "Pencarian tidak dapat dijalankan. Muat ulang halaman, atau telusuri rilis menurut satuan, personel, kegiatan atau arsip bulanan.";
    console.error(error);
    return;
  }
  if (mine !== generation) return;
  // Announced once the results are on the page.
  statusLine.textContent = results.length ? found(results.length, state) : noneFound(state);
}

// How many results each option of each facet would give, the other facets'
// choices kept: choosing a unit must not make the other units look empty.
async function facetCounts(pagefind, state, search) {
  const counts = {};
  for (const select of facetSelects) {
    const facet = select.name;
    if (!state.filters[facet]) {
      counts[facet] = search.filters[facet] ?? {};
      continue;
    }
    const others = activeFilters({ ...state.filters, [facet]: "" });
    if (!Object.keys(others).length) {
      counts[facet] = (state.q ? search.totalFilters[facet] : archiveCounts[facet]) ?? {};
    } else {
      const wider = await pagefind.search(state.q || null, { filters: others });
      counts[facet] = wider.filters[facet] ?? {};
    }
  }
  return counts;
}

// The filters were opened after a search: add the counts to its options.
async function countCurrentSearch() {
  const mine = generation;
  const state = stateFromForm();
  if (!state.q && !Object.keys(activeFilters(state.filters)).length) return;
  try {
    const pagefind = await loadPagefind();
    await loadFilterChunks(pagefind);
    const filters = activeFilters(state.filters);
    const search = await pagefind.search(state.q || null, { filters });
    const counts = await facetCounts(pagefind, state, search);
    if (mine === generation) showCounts(counts);
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
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (mine !== generation) return;
  const items = data.map(resultItem);
  list.append(...items);
  shown += batch.length;
  const left = results.length - shown;
  moreButton.hidden = left <= 0;
  moreButton.textContent = `Tampilkan ${Math.min(left, PAGE_SIZE)} lagi (${shown} dari ${results.length} ditampilkan)`;
  if (moveFocus && items.length) items[0].querySelector("a").focus();
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
if (!initial.q && !Object.keys(activeFilters(initial.filters)).length) input.focus();
run(initial);
