#!/usr/bin/env bash
# Export a commit of the archive to a folder, to benchmark it while the work
# tree changes: bench/snapshot.sh COMMIT DIR, then
# python bench/run.py --site-settings DIR/pelicanconf.py --releases N
set -euo pipefail
commit=$(git rev-parse --short "${1:?commit}")
dir=${2:?target folder}
rm -rf "$dir" && mkdir -p "$dir"
git archive "$commit" | tar -x -C "$dir"
echo "$commit" > "$dir/COMMIT"
echo "$commit exported to $dir"
