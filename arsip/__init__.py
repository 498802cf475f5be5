"""The archive's own code, shared by the build (plugins/) and the editors' tools (tasks.py).

Each rule lives here once, so the build and the tools cannot disagree:

- the content: `content` (a release file's fields), `rules` (every check, for
  the build and `invoke check`), `registry` and `kinds` (terms), `corrections`,
  `dates`, `text`, `problems` (how problems are reported), `scaffold` and the
  `importer` package (`invoke new`, `invoke import`);
- the build: `settings` (every setting's default and check), `post_build`
  (the order of the steps after the pages are written), `output` (the new
  output in place only when complete), `preview` (`invoke livereload`);
- publishing: `publish` (check a build, deploy or roll back, whatever the
  destination), `websub` (tell the feeds' hub).
"""
