"""Tell the WebSub hub that the feeds changed, once a publish has put them live.

Every feed of a build with WEBSUB_HUB set names the hub (`<link rel="hub">`)
and itself (`<link rel="self">`, the topic). Services that follow a feed
(RSS-to-email services, feed readers) subscribe at the hub; when the hub is
told that a topic changed, it fetches the feed and passes the new entries on
at once, instead of the services finding them at their next poll, hours later.

`announce(site)` reads the hubs and topics from the built site's feeds, so it
needs no setting of its own, and posts to each hub the usual publish
notification (`hub.mode=publish`, `hub.url` repeated for each topic, as the
PubSubHubbub hubs take it). A hub that fails is a warning, not a failed
publish: the site is live, and the services still poll. docs/alerts.md.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_SUFFIX = "atom.xml"  # feeds/semua.atom.xml and every term's <label>/<slug>/atom.xml
BATCH = 50  # topics per request: one request per 50 feeds keeps each one small
TIMEOUT = 15  # seconds for each request


@dataclass
class Outcome:
    """What one hub was told, and whether it took it."""

    hub: str
    topics: list[str] = field(default_factory=list)
    error: str | None = None

    def __str__(self) -> str:
        if self.error:
            return (
                f"warning: WebSub hub {self.hub} was not told of {len(self.topics)} changed "
                f"feed(s): {self.error}. The site is live; services following the feeds "
                "will find the changes at their next poll."
            )
        return f"WebSub hub {self.hub} told of {len(self.topics)} changed feed(s)."


def feed_links(path: Path) -> tuple[list[str], str | None]:
    """The hubs and the self link of one feed, read from its head only."""
    hubs, topic = [], None
    for _, element in ET.iterparse(path, events=("start",)):
        if element.tag == f"{ATOM}entry":
            break  # links of the feed come before its entries
        if element.tag == f"{ATOM}link":
            rel = element.get("rel")
            if rel == "hub":
                hubs.append(element.get("href"))
            elif rel == "self":
                topic = element.get("href")
    return hubs, topic


def topics_by_hub(site: Path, changed_since: Path | None = None) -> dict[str, list[str]]:
    """Each hub the site's feeds name, with the feeds (topics) that name it.

    With `changed_since` (the previously published site), only the feeds whose
    bytes differ from the ones there, or that are new.
    """
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob(f"*{FEED_SUFFIX}")):
        if changed_since is not None:
            before = changed_since / path.relative_to(site)
            if before.is_file() and before.read_bytes() == path.read_bytes():
                continue
        hubs, topic = feed_links(path)
        if topic:
            for hub in hubs:
                found.setdefault(hub, []).append(topic)
    return found


def notify(site: Path, changed_since: Path | None = None) -> list[Outcome]:
    """Post a publish notification to every hub the site's feeds name."""
    outcomes = []
    for hub, topics in topics_by_hub(site, changed_since).items():
        outcome = Outcome(hub, topics)
        for start in range(0, len(topics), BATCH):
            body = urlencode(
                [("hub.mode", "publish"), *(("hub.url", t) for t in topics[start : start + BATCH])]
            ).encode("ascii")
            request = urllib.request.Request(
                hub,
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                    response.read()
            except urllib.error.HTTPError as error:
                outcome.error = f"it answered HTTP {error.code} {error.reason}"
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                outcome.error = f"it could not be reached ({reason})"
            if outcome.error:
                break
        outcomes.append(outcome)
    return outcomes


def announce(site: Path, changed_since: Path | None = None) -> bool:
    """`notify`, printing one line per hub; False when a hub was not told."""
    outcomes = notify(Path(site), changed_since)
    for outcome in outcomes:
        print(outcome, file=sys.stderr if outcome.error else sys.stdout)
    return all(outcome.error is None for outcome in outcomes)
