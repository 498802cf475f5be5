"""Import raw releases, as pasted from outlets, into Markdown releases.

A raw release is plain text: maybe a headline and web-page debris, the outlet
("Jakarta,kabarmetro.co," or "Jakarta Pusat – | Rasionews | "), then the body,
with the date in its first paragraph ("Jumat, (8/11/2024)"). `import_releases`
reads each file, proposes the metadata, resolves names against the registry
and writes one release per event. Names the registry lacks come back as
suggested registry entries, which `add_to_registry` appends to the registry.

One module per concern:

- `cleanup`: bytes checked, page debris and bylines dropped, wrapped lines joined;
- `outlets`: the outlet line and the dateline in their many shapes;
- `titles`: headline, proposed title and summary;
- `when`: the activity's date and time in the text;
- `names`: units, officers and activity types;
- `places`: venue, street, RT/RW, Kelurahan, Kecamatan, city;
- `syndication`: copies of one release from several outlets;
- `additions`: the registry entries the releases need, and adding them;
- `files`: raw files in, whole-file writes out;
- `drafts` reads one raw release; `run` imports a folder.
"""

from arsip.importer.additions import Suggestion, add_to_registry, collect_suggestions, entry_yaml
from arsip.importer.cleanup import RawReleaseError, read_raw
from arsip.importer.drafts import Draft, read_draft
from arsip.importer.files import RELEASES_DIR, existing_releases, raw_files, write_new
from arsip.importer.run import ImportReport, import_releases, suggestions_text

__all__ = [
    "RELEASES_DIR",
    "Draft",
    "ImportReport",
    "RawReleaseError",
    "Suggestion",
    "add_to_registry",
    "collect_suggestions",
    "entry_yaml",
    "existing_releases",
    "import_releases",
    "raw_files",
    "read_draft",
    "read_raw",
    "suggestions_text",
    "write_new",
]
