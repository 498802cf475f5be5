"""Write a self-contained content folder of synthetic releases for benchmarks.

    python bench/generate.py --releases 10000 --out bench/work/10000 [--seed 1]

The folder holds `rilis/<year>/*.md` (releases in the archive's format),
`registry/` (units, officers with rank changes over time, activity types: a
registry that resolves every name the releases write) and `pages/` (copied
from the real content, so that the site is complete). It builds with
`pelican DIR -s pelicanconf.py -o OUT`.

The same seed gives the same folder byte for byte: every choice comes from
one `random.Random(seed)` and nothing depends on set or hash order.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_PAGES = ROOT / "content" / "pages"

FIRST_DAY = datetime.date(2019, 1, 1)
LAST_DAY = datetime.date(2026, 10, 31)
UNIT_COUNT = 40
OFFICER_COUNT = 300
ACTIVITY_COUNT = 25

# Kecamatan of Jakarta Pusat with their kelurahan (the polsek and koramil areas).
DISTRICTS = {
    "Gambir": ["Gambir", "Cideng", "Petojo Utara", "Petojo Selatan", "Kebon Kelapa", "Duri Pulo"],
    "Tanah Abang": [
        "Gelora",
        "Bendungan Hilir",
        "Karet Tengsin",
        "Kebon Melati",
        "Petamburan",
        "Kebon Kacang",
        "Kampung Bali",
    ],
    "Menteng": ["Menteng", "Pegangsaan", "Cikini", "Gondangdia", "Kebon Sirih"],
    "Senen": ["Senen", "Kwitang", "Kenari", "Paseban", "Kramat", "Bungur"],
    "Cempaka Putih": ["Cempaka Putih Timur", "Cempaka Putih Barat", "Rawasari"],
    "Kemayoran": [
        "Kemayoran",
        "Kebon Kosong",
        "Harapan Mulya",
        "Serdang",
        "Gunung Sahari Selatan",
        "Cempaka Baru",
        "Sumur Batu",
        "Utan Panjang",
    ],
    "Sawah Besar": [
        "Pasar Baru",
        "Gunung Sahari Utara",
        "Mangga Dua Selatan",
        "Karang Anyar",
        "Kartini",
    ],
    "Johar Baru": ["Johar Baru", "Kampung Rawa", "Tanah Tinggi", "Galur"],
}
POLRES = "Polres Metro Jakarta Pusat"
FUNCTIONS = [  # (unit name, short name in posts, alias)
    ("Satreskrim", "Reskrim", "Sat Reskrim"),
    ("Satresnarkoba", "Resnarkoba", "Sat Resnarkoba"),
    ("Satsamapta", "Samapta", "Sat Samapta"),
    ("Satlantas", "Lantas", "Sat Lantas"),
    ("Satbinmas", "Binmas", "Sat Binmas"),
    ("Satintelkam", "Intelkam", "Sat Intelkam"),
    ("Sattahti", "Tahti", "Sat Tahti"),
]
CIVIL_UNITS = [  # (name, aliases, description)
    (
        "Satpol PP",
        ["Satuan Polisi Pamong Praja", "Satpol-PP"],
        "Satuan Polisi Pamong Praja Kota Administrasi Jakarta Pusat.",
    ),
    (
        "Dinas Perhubungan",
        ["Dishub", "Sudinhub Jakarta Pusat"],
        "Suku Dinas Perhubungan Jakarta Pusat.",
    ),
    (
        "Sudin Gulkarmat Jakarta Pusat",
        ["Damkar Jakarta Pusat", "Pemadam Kebakaran"],
        "Suku Dinas Penanggulangan Kebakaran dan Penyelamatan Jakarta Pusat.",
    ),
    (
        "Sudin Kesehatan Jakarta Pusat",
        ["Sudinkes Jakarta Pusat"],
        "Suku Dinas Kesehatan Jakarta Pusat.",
    ),
    (
        "BNN Kota Jakarta Pusat",
        ["BNNK Jakarta Pusat"],
        "Badan Narkotika Nasional Kota Jakarta Pusat.",
    ),
    (
        "Kodim 0501 Jakarta Pusat",
        ["Kodim 0501/JP", "Kodim Jakarta Pusat"],
        "Komando Distrik Militer 0501 Jakarta Pusat (TNI AD).",
    ),
    (
        "Pemerintah Kota Jakarta Pusat",
        ["Pemkot Jakarta Pusat", "Wali Kota Jakarta Pusat"],
        "Pemerintah Kota Administrasi Jakarta Pusat.",
    ),
]
ACTIVITIES = [  # (name, aliases)
    ("Ngopi Kamtibmas", ["Ngobrol Pintar Kamtibmas"]),
    ("Patroli Tiga Pilar", ["Patroli Bersama Tiga Pilar"]),
    ("Cooling System", ["Cooling System Pilkada"]),
    ("Jumat Curhat", ["Jumat Curhat Kamtibmas"]),
    ("Minggu Kasih", []),
    ("Patroli Skala Besar", ["Patroli Gabungan Skala Besar"]),
    ("Operasi Ketupat", ["Operasi Ketupat Jaya"]),
    ("Operasi Lilin", ["Operasi Lilin Jaya"]),
    ("Operasi Zebra", ["Operasi Zebra Jaya"]),
    ("Operasi Pekat", ["Operasi Penyakit Masyarakat"]),
    ("Pengamanan Unjuk Rasa", ["Pengamanan Aksi Unjuk Rasa", "Pam Unras"]),
    ("Pengamanan Ibadah", ["Pengamanan Gereja", "Pengamanan Salat Id"]),
    ("Pencegahan Tawuran", ["Antisipasi Tawuran"]),
    ("Penangkapan Pelaku Curanmor", ["Ungkap Kasus Curanmor"]),
    ("Pengungkapan Kasus Narkoba", ["Ungkap Kasus Narkoba"]),
    ("Bakti Sosial", ["Baksos"]),
    ("Vaksinasi Presisi", ["Vaksinasi Massal"]),
    ("Sambang Warga", ["Sambang Kamtibmas"]),
    ("Penyuluhan Bahaya Narkoba", ["Sosialisasi Bahaya Narkoba"]),
    ("Pengaturan Lalu Lintas", ["Gatur Lalin"]),
    ("Police Goes to School", ["Polisi Sahabat Anak"]),
    ("Pengamanan Pilkada", ["Pam Pilkada", "Pengamanan Pemilu"]),
    ("Bantuan Korban Kebakaran", ["Bantuan Kebakaran"]),
    ("Razia Balap Liar", ["Penertiban Balap Liar"]),
    ("Kerja Bakti", ["Gotong Royong Kerja Bakti"]),
]
FIRST_NAMES = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hadi",
    "Indra",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Made",
    "Nur",
    "Oki",
    "Putu",
    "Rahmat",
    "Slamet",
    "Teguh",
    "Umar",
    "Wahyu",
    "Yudi",
    "Zulkifli",
    "Ahmad",
    "Bambang",
    "Candra",
    "Dimas",
    "Erwin",
    "Firman",
    "Gilang",
    "Hendra",
    "Irfan",
    "Jefri",
    "Komang",
    "Lutfi",
    "Maulana",
    "Nanang",
    "Prasetyo",
    "Rizky",
    "Sigit",
    "Taufik",
    "Yoga",
    "Andi",
    "Bayu",
    "Dwi",
    "Galih",
    "Haris",
    "Iwan",
    "Muhammad",
    "Rudi",
    "Sutrisno",
    "Wawan",
]
LAST_NAMES = [
    "Santoso",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Wibowo",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Pratama",
    "Setiawan",
    "Kusuma",
    "Permana",
    "Hutapea",
    "Gunawan",
    "Purnomo",
    "Suryadi",
    "Firmansyah",
    "Rahman",
    "Sitompul",
    "Wijaya",
    "Halim",
    "Ramadhan",
    "Susanto",
    "Harahap",
    "Lubis",
    "Sembiring",
    "Tarigan",
    "Manurung",
    "Pane",
    "Effendi",
    "Kurnia",
    "Hasibuan",
    "Syahputra",
    "Maulida",
    "Prakoso",
    "Wirawan",
    "Hakim",
    "Fauzi",
    "Iskandar",
    "Sihombing",
]
MONONYMS = [
    "Rasid",
    "Sutarno",
    "Suparman",
    "Mulyono",
    "Sugiono",
    "Darmadi",
    "Paimin",
    "Sarjono",
    "Tukiman",
    "Waluyo",
    "Suyatno",
    "Karyadi",
]
DEGREES = ["S.H.", "S.I.K.", "M.Si.", "M.H.", "S.E.", "M.M.", "S.Sos.", "S.Kom.", "M.Kn."]
POLICE_RANKS = ["Bripka", "Aipda", "Aiptu", "Ipda", "Iptu", "AKP", "Kompol", "AKBP", "Kombes Pol"]
# Other ways releases write a rank (all known to arsip/vocabulary.yaml).
RANK_SPELLINGS = {
    "Kombes Pol": ["Kombes", "Kombes Pol"],
    "Kompol": ["Kompol", "KOMPOL"],
    "AKBP": ["AKBP"],
    "AKP": ["AKP"],
}
ARMY_RANKS = ["Sertu", "Serka", "Serma", "Peltu", "Letda", "Lettu", "Kapten", "Mayor"]
SOURCES = [
    "kabarmetro.co",
    "tribratanews.polri.go.id",
    "poskota.co.id",
    "beritajakarta.id",
    "wartakota.tribunnews.com",
    "metro.sindonews.com",
    "jakpusnews.id",
    "humaspolri.id",
    "suarajakarta.id",
    "liputan.metro.id",
]
PLACES = [
    "Jalan Kramat Raya",
    "Jalan Salemba",
    "Jalan Gunung Sahari",
    "Jalan Thamrin",
    "Jalan Sudirman",
    "Jalan Cikini Raya",
    "Jalan Senen Raya",
    "Pasar Tanah Abang",
    "Stasiun Gambir",
    "Taman Menteng",
    "Lapangan Banteng",
    "Monas",
    "Pasar Baru",
    "Jalan Letjen Suprapto",
    "Jalan Percetakan Negara",
    "Jalan Galur Raya",
    "Jalan Tanah Tinggi",
    "Jalan Kemayoran Gempol",
    "Masjid Istiqlal",
    "Bundaran HI",
]

# Sentence templates for bodies. Slots: {unit} {officer} {officer_short} {activity}
# {place} {kelurahan} {kecamatan} {weekday} {when} {count} {topic} {object}.
OPENINGS = [
    "Jakarta Pusat - {unit} menggelar kegiatan {activity} di {place}, Kelurahan {kelurahan}, "
    "Kecamatan {kecamatan}, pada {weekday} ({when}).",
    "Jakarta Pusat - Dalam rangka menjaga situasi kamtibmas yang aman dan kondusif, {unit} "
    "melaksanakan {activity} di wilayah Kelurahan {kelurahan}, {weekday} ({when}).",
    "Jakarta Pusat - Personel {unit} kembali melaksanakan {activity} bersama unsur tiga pilar "
    "di sekitar {place}, Kecamatan {kecamatan}, pada {weekday} ({when}).",
]
SENTENCES = [
    "Kegiatan tersebut dipimpin langsung oleh {officer} dan diikuti oleh {count} personel "
    "gabungan.",
    "Menurut {officer_short}, kegiatan ini merupakan upaya nyata kepolisian untuk hadir di tengah "
    "masyarakat dan menjawab keresahan warga terkait {topic}.",
    "Warga yang hadir menyampaikan berbagai keluhan, mulai dari {topic} hingga {object} yang "
    "dinilai mengganggu ketertiban lingkungan.",
    "Petugas juga memberikan imbauan kepada warga agar segera melapor melalui layanan 110 apabila "
    "menemukan hal yang mencurigakan di lingkungan tempat tinggalnya.",
    "Selain itu, petugas membagikan {object} kepada warga sebagai bentuk kepedulian Polri terhadap "
    "masyarakat.",
    "Sinergi antara Polri, TNI dan pemerintah daerah dinilai sangat penting untuk menjaga "
    "stabilitas keamanan di wilayah Kecamatan {kecamatan}.",
    "Ketua RW setempat mengapresiasi langkah {unit} yang dinilai cepat tanggap terhadap persoalan "
    "{topic} di wilayahnya.",
    "Kegiatan berlangsung dengan tertib dan lancar hingga selesai sekitar pukul {hour}.00 WIB.",
    "Dalam kesempatan itu, {officer_short} menegaskan bahwa pihaknya tidak akan memberi ruang bagi "
    "pelaku kejahatan yang meresahkan warga.",
    "Petugas menyisir sejumlah titik rawan, termasuk gang sempit dan pos ronda, untuk memastikan "
    "tidak ada kelompok remaja yang berkumpul hingga larut malam.",
    "Para tokoh agama dan tokoh masyarakat turut hadir serta menyatakan dukungan terhadap program "
    "{activity} yang digagas kepolisian.",
    "Hasil kegiatan akan dievaluasi bersama sehingga langkah pencegahan ke depan dapat lebih tepat "
    "sasaran.",
    "Kapolres juga meminta seluruh jajaran untuk meningkatkan patroli dialogis, khususnya pada jam "
    "rawan antara pukul 01.00 hingga 04.00 WIB.",
    "Warga Kelurahan {kelurahan} menyambut baik kehadiran petugas dan berharap kegiatan serupa "
    "dapat dilaksanakan secara rutin.",
    "Barang bukti yang diamankan antara lain {object}, yang kini dibawa ke markas {unit} untuk "
    "pemeriksaan lebih lanjut.",
    "Petugas mengingatkan bahwa penyebaran berita bohong atau hoaks dapat memecah belah persatuan "
    "dan berujung pada sanksi pidana.",
    "Sebanyak {count} warga mengikuti kegiatan tersebut dengan antusias hingga acara berakhir.",
    "Pendekatan yang humanis diharapkan dapat mempererat hubungan antara polisi dan masyarakat di "
    "wilayah Jakarta Pusat.",
    "Ia menambahkan bahwa keberhasilan menjaga keamanan tidak hanya bergantung pada aparat, tetapi "
    "juga pada peran aktif seluruh elemen masyarakat.",
    "Pengecekan juga dilakukan terhadap kendaraan yang melintas di {place} untuk mencegah "
    "terjadinya tindak pidana jalanan.",
    "Para pelajar yang terjaring kemudian didata dan dipanggil orang tuanya untuk diberikan "
    "pembinaan.",
    "Seluruh rangkaian kegiatan didokumentasikan dan dilaporkan secara berjenjang kepada pimpinan.",
]
QUOTES = [
    "“Kami mengajak seluruh warga untuk bersama-sama menjaga keamanan lingkungan, karena polisi "
    "tidak bisa bekerja sendiri,” ujar {officer}.",
    "“Jangan mudah terprovokasi oleh informasi yang belum jelas kebenarannya. Bila ada masalah, "
    "segera laporkan kepada kami,” kata {officer_short}.",
    "“Kegiatan ini akan terus kami lakukan secara berkelanjutan agar warga merasa aman dan "
    "nyaman,” tutur {officer}.",
    "“Kami berterima kasih atas dukungan warga dan tokoh masyarakat di wilayah {kecamatan},” "
    "ucap {officer_short}.",
]
TOPICS = [
    "tawuran remaja",
    "balap liar",
    "peredaran narkoba",
    "pencurian kendaraan bermotor",
    "parkir liar",
    "premanisme",
    "kemacetan lalu lintas",
    "gangguan ketertiban malam hari",
    "judi daring",
    "penipuan daring",
]
OBJECTS = [
    "paket sembako",
    "masker dan hand sanitizer",
    "brosur imbauan kamtibmas",
    "senjata tajam jenis celurit",
    "sepeda motor tanpa pelat nomor",
    "beberapa paket sabu",
    "air mineral",
    "bendera merah putih",
    "alat pengeras suara",
    "buku bacaan anak",
]
TITLES = [
    "{activity} {unit} di Kelurahan {kelurahan}",
    "{unit} Gelar {activity} untuk Warga {kelurahan}",
    "Cegah {topic_title}, {unit} Lakukan {activity}",
    "{activity} Bersama Warga {kelurahan}, {unit} Ajak Jaga Kamtibmas",
    "{unit} dan Tiga Pilar Laksanakan {activity} di {place}",
]
WEEKDAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Unit:
    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    description: str = ""
    kecamatan: str = ""  # the district a polsek, koramil or kecamatan covers


@dataclass
class Post:
    title: str  # "Kapolsek Menteng"
    unit: Unit
    ranks: list[str]  # ranks that fit the post, lowest first
    army: bool = False


@dataclass
class Career:
    slug: str
    name: str
    degrees: list[str]
    aliases: list[str]
    service: list[tuple[datetime.date | None, str, Post]]  # (from, rank, post), oldest first

    def at(self, day: datetime.date) -> tuple[str, Post]:
        current = self.service[0]
        for item in self.service:
            if item[0] is None or item[0] <= day:
                current = item
        return current[1], current[2]


def make_units() -> tuple[list[Unit], list[Post]]:
    """About 40 units and the posts officers hold in them."""
    units: list[Unit] = []
    posts: list[Post] = []
    polres = Unit(
        "polres-metro-jakarta-pusat",
        POLRES,
        ["Polres Jakarta Pusat", "Polres Metro Jakpus"],
        description="Kepolisian Resor Metropolitan Jakarta Pusat.",
    )
    units.append(polres)
    posts += [
        Post("Kapolres Metro Jakarta Pusat", polres, ["Kombes Pol"]),
        Post("Wakapolres Metro Jakarta Pusat", polres, ["AKBP"]),
    ]
    polres.posts = [
        "Kapolres Metro Jakarta Pusat",
        "Wakapolres Metro Jakarta Pusat",
        "Kapolres Jakarta Pusat",
    ]
    for name, short, alias in FUNCTIONS:
        unit = Unit(
            slugify(name + " Polres Metro Jakarta Pusat"),
            f"{name} {POLRES}",
            [f"{alias} {POLRES}", f"{name} Polres Jakarta Pusat"],
            description=f"Satuan fungsi {short} {POLRES}.",
        )
        head = f"Kasat {short} {POLRES}"
        unit.posts = [head, f"Wakasat {short} {POLRES}"]
        units.append(unit)
        posts += [
            Post(head, unit, ["Kompol", "AKBP"]),
            Post(f"Wakasat {short} {POLRES}", unit, ["AKP", "Kompol"]),
        ]
    for number, (district, villages) in enumerate(DISTRICTS.items(), start=1):
        polsek = Unit(
            slugify(f"Polsek {district}"),
            f"Polsek {district}",
            [f"Polsek Metro {district}"],
            description=f"Kepolisian Sektor {district}, Jakarta Pusat.",
            kecamatan=district,
        )
        polsek_posts = [
            Post(f"Kapolsek {district}", polsek, ["Kompol", "AKBP"]),
            Post(f"Wakapolsek {district}", polsek, ["AKP", "Kompol"]),
            Post(f"Kanit Reskrim Polsek {district}", polsek, ["Iptu", "AKP"]),
            Post(f"Kanit Binmas Polsek {district}", polsek, ["Ipda", "Iptu", "AKP"]),
            Post(f"Kanit Samapta Polsek {district}", polsek, ["Ipda", "Iptu", "AKP"]),
        ]
        polsek_posts += [
            Post(f"Bhabinkamtibmas Kelurahan {v}", polsek, ["Bripka", "Aipda", "Aiptu"])
            for v in villages
        ]
        polsek.posts = [p.title for p in polsek_posts] + [f"Kapolsek Metro {district}"]
        koramil = Unit(
            slugify(f"Koramil {number:02d} {district}"),
            f"Koramil {number:02d} {district}",
            [f"Koramil {number:02d}/{district}", f"Koramil {district}"],
            description=f"Komando Rayon Militer {number:02d} {district} (TNI AD).",
            kecamatan=district,
        )
        koramil_posts = [
            Post(f"Danramil {number:02d} {district}", koramil, ["Kapten", "Mayor"], True)
        ]
        koramil_posts += [
            Post(f"Babinsa Kelurahan {v}", koramil, ["Sertu", "Serka", "Serma", "Peltu"], True)
            for v in villages[:3]
        ]
        koramil.posts = [p.title for p in koramil_posts] + [f"Danramil {district}"]
        kecamatan = Unit(
            slugify(f"Kecamatan {district}"),
            f"Kecamatan {district}",
            [f"Pemerintah Kecamatan {district}", f"Camat {district}"],
            description=f"Pemerintah Kecamatan {district}, Jakarta Pusat.",
            kecamatan=district,
        )
        units += [polsek, koramil, kecamatan]
        posts += polsek_posts + koramil_posts
    for name, aliases, description in CIVIL_UNITS:
        units.append(Unit(slugify(name), name, aliases, description=description))
    return units[:UNIT_COUNT], posts


def make_officers(rng: random.Random, posts: list[Post]) -> list[Career]:
    names = sorted({f"{a} {b}" for a in FIRST_NAMES for b in LAST_NAMES})
    rng.shuffle(names)
    mononyms = list(MONONYMS)
    # Every post gets a holder first, then posts are drawn at random.
    assignments = posts + [rng.choice(posts) for _ in range(OFFICER_COUNT - len(posts))]
    officers = []
    for index, post in enumerate(assignments[:OFFICER_COUNT]):
        # Some are known by one name, as many Indonesians are.
        name = mononyms.pop() if mononyms and rng.random() < 0.06 else names[index]
        slug = slugify(name)
        ladder = ARMY_RANKS if post.army else POLICE_RANKS
        rank_index = ladder.index(rng.choice(post.ranks))
        start = None
        service = [(start, ladder[rank_index], post)]
        changes = rng.choice([0, 1, 1, 2])  # most officers are promoted or moved at least once
        day = FIRST_DAY
        for _ in range(changes):
            day = day + datetime.timedelta(days=rng.randint(300, 1100))
            if day > LAST_DAY:
                break
            if rank_index == len(ladder) - 1:
                break  # at the top of the ladder
            rank_index += 1
            candidates = [p for p in posts if p.army == post.army and ladder[rank_index] in p.ranks]
            post = rng.choice(candidates) if candidates and rng.random() < 0.6 else post
            service.append((day, ladder[rank_index], post))
        degrees = [] if post.army and rng.random() < 0.5 else rng.sample(DEGREES, rng.randint(0, 3))
        degrees.sort(key=lambda degree: degree.startswith("M."))  # bachelor's before master's
        aliases = ["M. " + name.removeprefix("Muhammad ")] if name.startswith("Muhammad ") else []
        officers.append(Career(slug, name, degrees, aliases, service))
    return officers


def written_officer(rng: random.Random, officer: Career, day: datetime.date) -> tuple[str, str]:
    """The officer as a release writes them: (full form, short form for the body)."""
    rank, post = officer.at(day)
    name = rng.choice(officer.aliases) if officer.aliases and rng.random() < 0.5 else officer.name
    rank_written = rng.choice(RANK_SPELLINGS.get(rank, [rank]))
    degrees = ", ".join(officer.degrees)
    with_degrees = f"{name}, {degrees}" if degrees else name
    post_written = post.title
    if post_written.startswith("Kapolsek ") and rng.random() < 0.3:
        post_written = post_written.replace("Kapolsek ", "Kapolsek Metro ", 1)
    forms = [
        f"{post_written} {rank_written} {with_degrees}",
        f"{post_written} {rank_written} {name}",
        f"{rank_written} {with_degrees}",
        f"{rank_written} {name}",
        name,
    ]
    full = rng.choices(forms, weights=[4, 3, 2, 2, 1])[0]
    return full, f"{rank_written} {name}"


def registry_yaml(units: list[Unit], officers: list[Career], activities) -> dict[str, str]:
    header = "# Synthetic registry written by bench/generate.py for benchmarks.\n"
    unit_data = [
        {
            "slug": u.slug,
            "name": u.name,
            "aliases": u.aliases,
            **({"posts": u.posts} if u.posts else {}),
            "description": u.description,
        }
        for u in units
    ]
    officer_data = []
    for officer in officers:
        item = {"slug": officer.slug, "name": officer.name}
        if officer.aliases:
            item["aliases"] = officer.aliases
        if officer.degrees:
            item["degrees"] = officer.degrees
        item["service"] = [
            {
                **({"from": start} if start else {}),
                "rank": rank,
                "post": post.title,
                "unit": post.unit.slug,
            }
            for start, rank, post in officer.service
        ]
        officer_data.append(item)
    activity_data = [
        {
            "slug": slugify(name),
            "name": name,
            "aliases": aliases,
            "description": f"Kegiatan {name} di wilayah Jakarta Pusat.",
        }
        for name, aliases in activities
    ]

    def dump(data):
        return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)

    return {
        "units.yaml": dump(unit_data),
        "officers.yaml": dump(officer_data),
        "activities.yaml": dump(activity_data),
    }


def words(text: str) -> int:
    return len(text.split())


def release_body(rng: random.Random, slots: dict, officers_written: list[tuple[str, str]]) -> str:
    """6-10 paragraphs, 400-600 words, naming the release's officers as written."""
    while True:
        target = rng.randint(430, 570)
        count = rng.randint(6, 10)
        paragraphs = [rng.choice(OPENINGS).format(**slots)]
        deck: list[str] = []  # each sentence once before any repeats
        for index in range(1, count - 1):
            budget = (target - sum(map(words, paragraphs))) // (count - 1 - index)
            sentences: list[str] = []
            while sum(map(words, sentences)) < budget - 12:
                if not deck:
                    deck = rng.sample(SENTENCES + QUOTES, len(SENTENCES) + len(QUOTES))
                full, short = rng.choice(officers_written)
                template = deck.pop()
                sentences.append(
                    template.format(
                        officer=full,
                        officer_short=short,
                        count=rng.randint(12, 150),
                        hour=rng.randint(9, 23),
                        topic=rng.choice(TOPICS),
                        object=rng.choice(OBJECTS),
                        **slots,
                    )
                )
            paragraphs.append(" ".join(sentences))
        paragraphs.append("(Humas Polres Metro Jakarta Pusat)")
        total = sum(map(words, paragraphs))
        if 400 <= total <= 600 and all(paragraphs):
            return "\n\n".join(paragraphs)


def generate(releases: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    units, posts = make_units()
    officers = make_officers(rng, posts)
    activities = ACTIVITIES[:ACTIVITY_COUNT]
    if out.exists():
        shutil.rmtree(out)
    (out / "registry").mkdir(parents=True)
    for name, text in registry_yaml(units, officers, activities).items():
        (out / "registry" / name).write_text(text, encoding="utf-8")
    shutil.copytree(REAL_PAGES, out / "pages")

    unit_weights = [
        12 if u.slug.startswith("polres") else 3 if u.slug.startswith("polsek") else 1
        for u in units
    ]
    span = (LAST_DAY - FIRST_DAY).days
    used_slugs: set[str] = set()
    duty: dict[datetime.date, list[tuple[Career, Unit]]] = {}  # officers' units by day
    for number in range(releases):
        day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, span))
        when = datetime.datetime.combine(
            day, datetime.time(rng.randint(6, 22), rng.choice((0, 15, 30, 45)))
        )
        chosen_units = []
        for unit in rng.choices(units, weights=unit_weights, k=rng.randint(1, 3)):
            if unit not in chosen_units:
                chosen_units.append(unit)
        if day not in duty:
            duty[day] = [(o, o.at(day)[1].unit) for o in officers]
        on_duty = [o for o, unit in duty[day] if unit in chosen_units]
        pool = on_duty if len(on_duty) >= 4 else officers
        chosen_officers = rng.sample(pool, rng.randint(1, 4))
        chosen_activities = rng.sample(activities, rng.randint(1, 2))
        kecamatan = next((u.kecamatan for u in chosen_units if u.kecamatan), None)
        kecamatan = kecamatan or rng.choice(list(DISTRICTS))
        kelurahan = rng.choice(DISTRICTS[kecamatan])
        place = rng.choice(PLACES)
        activity_name, activity_aliases = chosen_activities[0]
        unit_written = rng.choice([chosen_units[0].name, *chosen_units[0].aliases])
        slots = {
            "unit": unit_written,
            "activity": rng.choice([activity_name, *activity_aliases]),
            "place": place,
            "kelurahan": kelurahan,
            "kecamatan": kecamatan,
            "weekday": WEEKDAYS[day.weekday()],
            "when": f"{day.day}/{day.month}/{day.year}",
        }
        written = [written_officer(rng, o, day) for o in chosen_officers]
        title = rng.choice(TITLES).format(topic_title=rng.choice(TOPICS).title(), **slots)
        body = release_body(rng, slots, written)
        summary = body.split("\n\n")[0].split(" - ", 1)[-1]
        slug = slugify(title)[:70].strip("-")
        if slug in used_slugs:
            slug = f"{slug}-{number}"
        used_slugs.add(slug)
        places = [place, f"Kelurahan {kelurahan}", f"Kecamatan {kecamatan}", "Jakarta Pusat"]
        header = [
            f"Title: {title}",
            f"Date: {when:%Y-%m-%d %H:%M}",
            f"Slug: {slug}",
            f"Summary: {summary}",
            "Units: " + "; ".join(rng.choice([u.name, *u.aliases]) for u in chosen_units),
            # Pelican splits a list on ";" when there is one, else on ",": a lone
            # officer with degrees ("Kompol Nama, S.H.") needs a trailing ";".
            "Officers: "
            + "; ".join(full for full, _ in written)
            + (";" if len(written) == 1 else ""),
            "Activities: " + "; ".join(rng.choice([n, *a]) for n, a in chosen_activities),
            "Places: " + "; ".join(places),
            "Sources: " + "; ".join(rng.sample(SOURCES, rng.randint(1, 3))),
            "Status: published",
        ]
        folder = out / "rilis" / f"{day.year}"
        folder.mkdir(parents=True, exist_ok=True)
        text = "\n".join(header) + "\n\n" + body + "\n"
        (folder / f"{day:%Y-%m-%d}-{slug}.md").write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, required=True, help="how many releases to write")
    parser.add_argument("--out", type=Path, required=True, help="content folder to (re)create")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same folder")
    args = parser.parse_args(argv)
    generate(args.releases, args.out, args.seed)
    print(f"{args.releases} releases written to {args.out}")


if __name__ == "__main__":
    main()
