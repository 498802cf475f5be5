"""Units, officers and activity types a text names, resolved against the registry.

Officers are read as "[post] rank [degrees] name[, degrees]"; a person named
twice ("Kompol Haris Akhmad Basuki", then "Kompol Haris") is one officer, and
a short form the text never completes is looked up among the registry's
officers. A unit's name ends where the name ends: the registry's names, the
vocabulary of unit kinds (arsip/vocabulary.yaml) and the places the registry
knows decide it, and in a title-cased line ("Polsek Kemayoran Antisipasi
Tawuran") an unknown unit is not guessed at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from arsip.content import slugify
from arsip.dates import DAY_NAMES, MONTH_NAMES
from arsip.registry import KINDS, VOCABULARY_FILE, Entry, Registry, UnknownName, normalize

TRAILING_PUNCTUATION = ",.;:)\u201d\"'\u2019"
LEADING_PUNCTUATION = "\u201c\"'(\u2018"
QUOTED = re.compile(r"[\u201c\"]([^\u201d\"\n]{3,120})[\u201d\"]")
# Words before a quoted name that say it is an activity: menggelar "Jumat Curhat".
ACTIVITY_CUES = {
    "kegiatan", "giat", "program", "acara", "operasi", "bertajuk", "bertema", "menggelar",
    "digelar", "melaksanakan", "dilaksanakan", "mengadakan", "diadakan", "bernama", "inisiatif",
    "gerakan", "agenda", "layanan", "gelar",
}  # fmt: skip
# Words before a rank that make it part of a name: "Jalan Letjen Suprapto".
NAMED_AFTER = {
    "jalan", "jl", "jln", "gg", "gang", "gedung", "lapangan", "stadion", "taman", "rs", "rsud",
    "universitas", "masjid", "monumen", "museum", "bandara", "pelabuhan", "terminal", "wisma",
    "graha", "aula", "lanud", "yonif", "kampus", "sekolah", "smk", "sma", "smp", "sd", "kapal",
}  # fmt: skip
# Capitalised words that end a unit's place name or a person's name.
NOT_A_NAME = {
    "setempat", "jajaran", "terdekat", "tersebut", "wilayah", "unit", "tim", "patko", "bersama",
    "beserta", "serta", "dan", "dalam", "selaku", "gelar", "kelurahan", "kecamatan",
    "kel", "kec", "rt", "rw", "jl", "jalan", "call", "center", "polri", "tni", "humas", "pos",
    "warga", "masyarakat", "kegiatan", "patroli", "giat", "apel", "operasi", "pada", "saat",
    "bapak", "ibu", "pak", "bu", "lurah", "camat", "ketua", "kapolri", "laksanakan", "lakukan",
    "antisipasi", "amankan", "sambangi", "jaga", "cegah", "imbau", "pantau", "hadir", "kawal",
    "ajak", "tingkatkan", "berikan", "salurkan", "bagikan", "gencarkan", "perketat", "sapa",
    "gandeng", "dukung", "wujudkan", "ciptakan", "pastikan", "tangkap", "ringkus", "bekuk",
    "kembali", "terus", "siap", "sigap", "turun", "hari", "malam", "pagi", "siang", "sore",
    "mereka", "kami", "ia", "dia", "yang", "di", "ke", "dari", "untuk", "hingga", "sementara",
    "selain", "dengan", "adapun", "menurut", "kata", "ujar",
}  # fmt: skip
AREA = re.compile(
    r"\b(?:Kelurahan|Kecamatan|Kel\.|Kec\.|Desa|Kabupaten|Kab\.|Kota)\s+([A-Z]\w+(?:\s+[A-Z]\w+){0,2})"
)
CITY_WORDS = {"jakarta", "kota", "kab", "kabupaten", "kecamatan", "kelurahan", "provinsi"}
NUMBER = re.compile(r"^\d{1,4}(?:/[A-Za-z][\w-]*)?$")  # "08", "0501/JP", "08/Johar"
INITIALS = re.compile(r"^(?:[A-Z]\.)+[A-Z]?$|^[A-Z]\.?$")  # "E.P.", "E.", "W"
TITLE_CASE_SHARE = 0.7


@dataclass
class Found:
    """A unit, officer or activity type named in a text."""

    kind: str
    text: str  # as written; for officers the whole mention with post and degrees
    line: int
    entry: Entry | None  # None: the registry does not know it
    proposal: dict | None = None  # the registry entry to add when unknown
    doubt: str = ""  # why the proposal should not be added without a look

    @property
    def key(self) -> str:
        if self.entry:
            return self.entry.slug
        return normalize(self.proposal["name"] if self.proposal else self.text)


@dataclass(frozen=True)
class Vocabulary:
    """What arsip/vocabulary.yaml says about units and degrees, beyond the registry's part."""

    territorial: frozenset[str]
    district: frozenset[str]
    functional: tuple[str, ...]
    named: tuple[str, ...]
    degrees: dict[str, str]  # "sh" -> "S.H."
    undotted: frozenset[str]  # "SH", "MSi": how a degree is written without dots
    before_name: frozenset[str]  # "dr"


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    kinds = data["unit_kinds"]
    degrees = {_degree_key(k): str(v) for k, v in data["degrees"].items()}
    return Vocabulary(
        territorial=frozenset(normalize(k) for k in kinds["territorial"]),
        district=frozenset(normalize(k) for k in kinds["district"]),
        functional=tuple(kinds["functional"]),
        named=tuple(kinds["named"]),
        degrees=degrees,
        undotted=frozenset(str(k) for k in data["degrees"]),
        before_name=frozenset(_degree_key(k) for k in data["degrees_before_name"]),
    )


def _degree_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def degree(word: str) -> str | None:
    """ "SH," or "S.H." or "M.Si" as a degree ("S.H.", "M.Si."), or None."""
    core = word.strip(",;")
    words = vocabulary()
    key = _degree_key(core)
    if key not in words.degrees:
        return None
    bare = core.rstrip(".")
    if "." in bare or bare in words.undotted or bare.upper() == bare and len(bare) <= 5:
        return words.degrees[key]
    return None


def _core(word: str) -> str:
    return word.lstrip(LEADING_PUNCTUATION).rstrip(TRAILING_PUNCTUATION)


def _ends(word: str) -> bool:
    """A word followed by punctuation that ends a name."""
    return word[-1:] in TRAILING_PUNCTUATION


def title_cased(text: str) -> bool:
    """A headline-like line: no full stop, most of its words capitalised."""
    words = [w for w in (_core(w) for w in text.split()) if w[:1].isalpha()]
    if len(words) < 4 or len(words) > 25 or text.rstrip()[-1:] in '.!?\u201d"':
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / len(words) >= TITLE_CASE_SHARE


# -- the whole text ---------------------------------------------------------------


def find_names(registry: Registry, paragraphs: list[tuple[int, str]]) -> dict[str, list[Found]]:
    """Units, officers and activity types a text names, in order of first mention."""
    officers = find_officers(registry, paragraphs)
    normalized = [(line, normalize(text)) for line, text in paragraphs]
    units = _find_spellings(registry, "units", normalized, with_posts=True)
    units += _unknown_units(registry, paragraphs)
    activities = _find_spellings(registry, "activities", normalized)
    activities += _unknown_activities(registry, paragraphs)
    return {
        "units": _first_of_each(units),
        "officers": officers,
        "activities": _first_of_each(activities),
    }


def _first_of_each(items: list[Found]) -> list[Found]:
    """One Found per entry, in order of first mention; a unit's posts are gathered."""
    order: dict[str, Found] = {}
    for item in sorted(items, key=lambda f: f.line):
        kept = order.get(item.key)
        if kept is None:
            order[item.key] = item
        elif kept.proposal and item.proposal and "posts" in kept.proposal:
            posts = kept.proposal["posts"]  # "Kapolsek Gambir" named after "Polsek Gambir"
            posts += [p for p in item.proposal.get("posts", []) if p not in posts]
    return list(order.values())


def _spelling_pattern(spellings) -> re.Pattern:
    ordered = sorted(spellings, key=len, reverse=True)
    return re.compile(r"(?<!\S)(" + "|".join(re.escape(s) for s in ordered) + r")(?!\S)")


@lru_cache(maxsize=8)
def _spelling_table(registry: Registry, kind: str, with_posts: bool):
    table = {}
    for entry in registry.all(kind):
        for spelling in entry.spellings:
            for variant in _metro_variants(spelling) if kind == "units" else (spelling,):
                table.setdefault(normalize(variant), entry)
        if with_posts:
            table.update({normalize(p): entry for p in entry.posts})
    table.pop("", None)
    return table, (_spelling_pattern(table) if table else None)


def _metro_variants(name: str) -> list[str]:
    """ "Polsek Gambir" and "Polsek Metro Gambir" name one unit."""
    words = name.split()
    if len(words) < 2 or normalize(words[0]) not in vocabulary().territorial:
        return [name]
    if normalize(words[1]) == "metro":
        return [name, " ".join([words[0], *words[2:]])]
    return [name, " ".join([words[0], "Metro", *words[1:]])]


def _find_spellings(registry, kind, normalized, with_posts=False) -> list[Found]:
    """Registry spellings in paragraphs already passed through `normalize`."""
    table, pattern = _spelling_table(registry, kind, with_posts)
    if pattern is None:
        return []
    found = []
    for line, text in normalized:
        for match in pattern.finditer(text):
            entry = table[match[1]]
            found.append(Found(kind, entry.name, line, entry))
    return found


def lookup_unit(registry: Registry, name: str) -> Entry | None:
    """The unit `name` or its longest prefix names, "Metro" or not."""
    table, _ = _spelling_table(registry, "units", False)
    words = name.split()
    for size in range(len(words), 1, -1):
        entry = table.get(normalize(" ".join(words[:size])))
        if entry:
            return entry
    return None


# -- units ---------------------------------------------------------------------------


def _unknown_units(registry: Registry, paragraphs) -> list[Found]:
    """Units the registry lacks: "Polsek Gambir", "Ditsamapta Polda Metro Jaya", and the
    units posts name ("Kapolsek Gambir" -> Polsek Gambir)."""
    found = []
    places = set(_known_places(registry))
    for _, text in paragraphs:  # places the text names itself: "Kecamatan Kemayoran"
        for match in AREA.finditer(text):
            words = normalize(match[1]).split()
            cut = next((i for i, w in enumerate(words) if w in CITY_WORDS), len(words))
            if cut:
                places.add(" ".join(words[:cut]))
    titled = {line for line, text in paragraphs if title_cased(text)}
    # Running text first: the places of its units tell where a title-cased one ends.
    for line, text in sorted(paragraphs, key=lambda p: p[0] in titled):
        words = text.split()
        for index in range(len(words)):
            for name, post in _units_at(registry, words, index, places, line in titled):
                places.add(_place_of(name))
                entry = lookup_unit(registry, name)
                if entry is not None:
                    found.append(Found("units", entry.name, line, entry))
                else:
                    proposal = {"name": name, "posts": [post] if post else []}
                    found.append(Found("units", name, line, None, proposal))
    return found


def _units_at(registry, words, index, places, titled):
    """(unit name, post or None) for a unit or post starting at words[index]."""
    word = _core(words[index])
    if not word[:1].isupper():
        return []
    words_ = vocabulary()
    key = normalize(word)
    kind = next((k for k in words_.territorial if k == key), None)
    if kind:
        name = _territorial(registry, words, index, places, titled)
        return [(name, None)] if name else []
    unit_kind = registry.vocabulary.post_units.get(key)
    if unit_kind and normalize(unit_kind) in words_.territorial:
        name = _territorial(registry, words, index, places, titled, kind=unit_kind)
        if not name:
            return []
        return [(name, f"{word}{name[len(unit_kind) :]}")]
    function = _function_at(words, index)
    if function:
        function_name, after = function
        if after < len(words) and normalize(_core(words[after])) in words_.territorial:
            parent = _territorial(registry, words, after, places, titled)
            if parent and not _ends(words[after - 1]):
                return [(f"{function_name} {parent}", None)]
    return []


def _place_of(name: str) -> str:
    """ "Polsek Metro Tanah Abang" -> "tanah abang"."""
    words = normalize(name).split()[1:]
    return " ".join(words[1:] if words[:1] == ["metro"] else words)


def _function_at(words, index):
    """ "Ditsamapta" or "Biro Operasi" at words[index], and the index after it."""
    word = words[index]
    core = _core(word)
    for prefix in vocabulary().functional:
        if re.fullmatch(rf"{prefix}[a-z]{{3,}}", core) and not core.casefold().startswith("satpol"):
            return core, index + 1
        if core == prefix and index + 1 < len(words) and not _ends(word):
            function = _core(words[index + 1])
            if function[:1].isupper() and normalize(function) not in vocabulary().territorial:
                return f"{core} {function}", index + 2
    return None


def _territorial(registry, words, index, places, titled, kind=None) -> str:
    """ "Polsek Metro Tanah Abang" from words[index] on: the kind, "Metro", a number, a place."""
    head = _core(words[index])
    kind = kind or head
    if _ends(words[index]):
        return ""
    parts = [kind]
    position = index + 1
    if position < len(words) and _core(words[position]) == "Metro":
        parts.append("Metro")
        if _ends(words[position]):
            return ""
        position += 1
    if position < len(words) and NUMBER.match(_core(words[position])):
        parts.append(_core(words[position]))
        if _ends(words[position]):
            return " ".join(parts)
        position += 1
    place = _place(registry, words, position, places, titled, normalize(kind))
    if not place and len(parts) < 2 or not place and parts[-1] == "Metro":
        return ""
    return " ".join(parts + place)


def _place(registry, words, position, places, titled, kind) -> list[str]:
    """The place words of a unit's name, from words[position] on."""
    candidates = []
    for word in words[position : position + 4]:
        if not _core(word)[:1].isalnum():
            break  # "Polres Sanggau - Sambang desa"
        candidates.append(_core(word))
        if _ends(word):
            break
    for size in range(len(candidates), 0, -1):  # a place the registry knows wins
        if normalize(" ".join(candidates[:size])) in places:
            return candidates[:size]
    if titled:
        return []  # "Polsek Kemayoran Antisipasi Tawuran": no telling where it ends
    place = []
    for word in candidates[:3]:
        key = normalize(word)
        if not word[:1].isupper() or _stops_a_place(key) or _rank_or_post(registry, key):
            break
        if key == "jakarta" and kind in vocabulary().district:
            break  # "Polsek Cempaka Putih Jakarta Pusat": the city, not the unit
        place.append(word)
    return place


def _rank_or_post(registry: Registry, key: str) -> bool:
    """ "Kompol", "Kapolsek": a word that starts an officer, not a place."""
    return key in _rank_heads(registry) or key in _post_heads(registry)


@lru_cache(maxsize=8)
def _rank_heads(registry: Registry) -> frozenset[str]:
    return frozenset(rank.split()[0] for rank in registry.vocabulary.ranks)


def _stops_a_name(key: str) -> bool:
    """A capitalised word that is no part of a person's name."""
    return (
        key in NOT_A_NAME
        or key in vocabulary().territorial
        or key in DAY_NAMES
        or key in MONTH_NAMES
    )


def _stops_a_place(key: str) -> bool:
    """A capitalised word that is no part of a unit's place: also "Satreskrim", "Biro"."""
    functional = vocabulary().functional
    return _stops_a_name(key) or any(
        key == normalize(p) or key.startswith(normalize(p)) and len(key) > len(p) + 2
        for p in functional
    )


@lru_cache(maxsize=8)
def _known_places(registry: Registry) -> frozenset[str]:
    """Place names in the registry's unit names: "gambir", "metro jakarta pusat"."""
    places = set()
    for entry in registry.all("units"):
        for spelling in entry.spellings:
            words = normalize(spelling).split()
            if len(words) > 1 and words[0] in vocabulary().territorial:
                rest = words[2:] if words[1] == "metro" else words[1:]
                if rest and not rest[0].isdigit():
                    places.add(" ".join(rest))
    return frozenset(places)


# -- officers ------------------------------------------------------------------------


@dataclass
class Mention:
    """One "[post] rank [degrees] name[, degrees]" as written."""

    line: int
    order: int
    post: str
    rank_words: str
    rank: str
    name: list[str]
    degrees: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return normalize(" ".join(self.name)).split()

    def text(self, name: str | None = None) -> str:
        written = " ".join(filter(None, (self.post, self.rank_words, name or " ".join(self.name))))
        return written + (", " + ", ".join(self.degrees) if self.degrees else "")


def find_officers(registry: Registry, paragraphs) -> list[Found]:
    """Every person with a rank the text names, once, in order of first mention."""
    mentions = []
    heads = _post_heads(registry)
    rank_heads = _rank_heads(registry)
    for line, text in paragraphs:
        words = text.split()
        index = 0
        while index < len(words):
            key = normalize(words[index])
            if key and key.split()[0] in rank_heads:
                mention, end = _officer_at(registry, words, index, heads, line, len(mentions))
                if mention:
                    mentions.append(mention)
                    index = end
                    continue
            index += 1
    return [_person_found(registry, person) for person in _people(mentions)]


@lru_cache(maxsize=8)
def _post_heads(registry) -> frozenset[str]:
    posts = [
        *registry.vocabulary.posts,
        *(normalize(p) for u in registry.all("units") for p in u.posts),
    ]
    return frozenset(p.split()[0] for p in posts if p)


def _officer_at(registry, words, index, heads, line, order):
    """The mention whose rank starts at words[index], and the index after it."""
    first = words[index]
    if not first[:1].isupper() or index and normalize(words[index - 1]) in NAMED_AFTER:
        return None, index
    window = words[index : index + 6]
    rank, rest = registry.take_rank(window)
    if rank is None:
        return None, index
    position = index + len(window) - len(rest)
    last = words[position - 1]
    if _ends(last) and not (last.endswith(".") and len(_core(last)) <= 4):
        return None, index  # "... oleh Kompol." ends a sentence
    degrees = []
    while position < len(words) and _degree_before_name(words[position]):
        degrees.append(degree(words[position]))
        position += 1
    name, position = _name_at(registry, words, position, heads)
    if not name:
        return None, index
    after, position = _degrees_after(words, position)
    degrees += after
    post = _post_before(words, index, heads)
    rank_words = " ".join(words[index : index + len(window) - len(rest)]).rstrip(",")
    return Mention(line, order, post, rank_words, rank, name, degrees), position


def _degree_before_name(word: str) -> bool:
    written = degree(word)
    return (
        bool(written) and _degree_key(word) in vocabulary().before_name and not word.endswith(",")
    )


def _name_at(registry, words, position, heads):
    name = []
    while position < len(words) and len(name) < 5:
        word = words[position]
        core = _core(word)
        key = normalize(core)
        if not core or not core[:1].isupper() or key in heads or _stops_a_name(key):
            break
        if key in registry.vocabulary.ranks or name and degree(word):
            break
        initial = word.rstrip(",;:)\u201d\"'\u2019").endswith(".") and INITIALS.match(core + ".")
        name.append(core + "." if initial else core)
        position += 1
        if _ends(word.lstrip(LEADING_PUNCTUATION)) and not (
            initial and word.endswith(".") and _name_goes_on(words, position)
        ):
            break
    if name and INITIALS.match(name[-1]):  # "Robby D.": the registry reads a final "D." as a degree
        name[-1] = name[-1].rstrip(".")
    return name, position


def _name_goes_on(words, position) -> bool:
    """ "Reynold E.P. Hutagalung": after an initial with its dot, a name may go on."""
    if position >= len(words):
        return False
    following = _core(words[position])
    return following[:1].isupper() and not _stops_a_name(normalize(following))


def _degrees_after(words, position) -> tuple[list[str], int]:
    """ ", S.H., M.H." or " SH MH" after a name, and the index after them."""
    found = []
    while position < len(words):
        parts = [p for p in words[position].split(",") if p]
        written = [degree(p) for p in parts]
        if not parts or not all(written):
            break
        found += written
        position += 1
    return found, position


def _post_before(words, index, heads) -> str:
    """The post just before a rank: "Kapolsek Johar Baru Kompol ...", also with a comma."""
    run = []
    position = index - 1
    while position >= 0 and len(run) < 7:
        word = words[position]
        if not word[:1].isupper():
            break
        if _ends(word) and (run or not word.endswith(",")):
            break  # only the comma just before the rank belongs to the post
        run.insert(0, word.rstrip(","))
        position -= 1
    for start in range(len(run)):
        if normalize(run[start]) in heads:
            return " ".join(run[start:])
    return ""


def _people(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions grouped by person: a short form joins the one full name that contains it."""
    people: list[list[Mention]] = []
    for mention in sorted(mentions, key=lambda m: (-len(m.tokens), m.order)):
        owners = [p for p in people if _same_person(mention, p[0])]
        if len(owners) > 1:
            owners = [p for p in owners if p[0].rank == mention.rank] or owners
        if len(owners) == 1:
            owners[0].append(mention)
        elif not owners:
            people.append([mention])
        # several people fit a short form: it names no one for sure
    return sorted(people, key=lambda p: min(m.order for m in p))


def _same_person(short: Mention, full: Mention) -> bool:
    tokens = short.tokens
    return bool(tokens) and set(tokens) <= set(full.tokens) and short.rank == full.rank


def _person_found(registry: Registry, mentions: list[Mention]) -> Found:
    full = mentions[0]  # the most detailed
    first = min(mentions, key=lambda m: m.order)
    post = next((m.post for m in mentions if m.post), "")
    degrees = list(dict.fromkeys(d for m in mentions for d in m.degrees))
    mention = Mention(first.line, first.order, post, full.rank_words, full.rank, full.name, degrees)
    try:
        entry, _ = registry.resolve_officer(mention.text())
        return Found("officers", mention.text(), first.line, entry)
    except UnknownName:
        pass
    entry = _registry_person(registry, mention)
    if entry:
        return Found("officers", mention.text(name=entry.name), first.line, entry)
    proposal, doubt = _officer_proposal(registry, mention)
    return Found("officers", mention.text(), first.line, None, proposal, doubt)


def _registry_person(registry: Registry, mention: Mention) -> Entry | None:
    """The one registry officer whose name contains a short form ("Kombes Pol Susatyo")."""
    tokens = set(mention.tokens)
    fits = []
    for entry in registry.all("officers"):
        names = [set(normalize(s).split()) for s in entry.spellings]
        ranks = {s.rank for s in entry.service}
        if any(tokens < n for n in names) and (not ranks or mention.rank in ranks):
            fits.append(entry)
    return fits[0] if len(fits) == 1 else None


def _officer_proposal(registry, mention: Mention) -> tuple[dict, str]:
    proposal = {"name": " ".join(mention.name)}
    if mention.degrees:
        proposal["degrees"] = list(mention.degrees)
    if mention.post:
        service = {"rank": mention.rank, "post": mention.post}
        unit = unit_of_post(registry, mention.post)
        if unit:
            service["unit"] = unit
        proposal["service"] = [service]
    return proposal, _doubt_about_name(mention.name)


def unit_of_post(registry: Registry, post: str) -> str | None:
    """The slug of the unit a post names: known, or the one a new entry would get."""
    known = registry.unit_of_post(post)
    if known:
        return known.slug
    words = post.split()
    for index in range(len(words)):
        for name, _ in _units_at(registry, words, index, _known_places(registry), False):
            entry = lookup_unit(registry, name)
            return entry.slug if entry else slug_of(name)
    return None


def slug_of(name: str) -> str:
    return slugify(name, 12)


def _doubt_about_name(name: list[str]) -> str:
    if any(any(c.isdigit() for c in word) for word in name):
        return "a name with digits"
    if len("".join(name)) < 3:
        return "a name of one or two letters"
    return ""


# -- activity types ----------------------------------------------------------------


def _unknown_activities(registry, paragraphs) -> list[Found]:
    """Quoted names of two to four capitalised words after a word such as "menggelar"."""
    found = []
    for line, text in paragraphs:
        for match in QUOTED.finditer(text):
            name = match[1].strip(" .,")
            words = name.split()
            if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
                continue
            before = normalize(text[: match.start()]).split()[-3:]
            if not ACTIVITY_CUES & set(before):
                continue
            if any(_knows(registry, kind, name) for kind in KINDS):
                continue
            found.append(Found("activities", name, line, None, {"name": name}))
    return found


def _knows(registry, kind, name) -> bool:
    if kind == "officers":
        try:
            registry.resolve_officer(name)
        except UnknownName:
            return False
        return True
    return registry.lookup(kind, name) is not None
