"""Precompressed copies of every text file: `x.html.gz` and `x.html.br` beside `x.html`.

Adds to the build: for each file whose suffix is in COMPRESS_SUFFIXES, a
gzip (level 9, no timestamp, so identical input gives identical bytes) and a
Brotli (quality 11) copy. Web servers send them as they are (nginx
`gzip_static` / `brotli_static`) instead of compressing on every request.

Must be the last plugin on `finalized`: it compresses the files as they are
then, so every step that changes files (search index, minify, fingerprints)
has to run before it.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from pelican import signals

DEFAULT_SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".map")


def compress_file(path: Path):
    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))


def compress_output(pelican):
    suffixes = tuple(pelican.settings.get("COMPRESS_SUFFIXES", DEFAULT_SUFFIXES))
    files = [
        path
        for path in Path(pelican.output_path).rglob("*")
        if path.suffix in suffixes and path.is_file()
    ]
    # Brotli and zlib release the GIL while compressing: threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(compress_file, files))


def register():
    signals.finalized.connect(compress_output)
