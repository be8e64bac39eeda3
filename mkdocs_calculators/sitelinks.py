"""The published-links list: every page and section anchor the site has ever offered.

Links get sent in emails and chats, so the list in ``tests/published_links.txt`` only ever
grows; the tests check that every entry still resolves (through a redirect if the page moved).
After adding pages or sections, append them with ``make links`` (it never removes a line):

    python -m mkdocs_calculators.sitelinks SITE_DIR tests/published_links.txt --data data --update
"""

from __future__ import annotations

import argparse
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from calculators import REGISTRY, get
from calculators._data import load_tree
from calculators._resolve import current_version, freeze, link_query, scenario_values

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
REFRESH = re.compile(r'http-equiv="refresh" content="0; url=([^"]+)"')


class _Anchors(HTMLParser):
    """Heading ids inside the page's article (not the theme's own ids)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.depth += 1
        elif self.depth and tag in HEADINGS and a.get("id"):
            self.ids.append(a["id"])

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1


def redirect_target(html: str) -> str | None:
    """Where a redirect page sends the reader (relative URL), or None for a real page."""
    m = REFRESH.search(html[:3000])
    return m.group(1) if m else None


def site_links(site_dir: Path) -> list[str]:
    """``/page/`` and ``/page/#anchor`` for every real page of a built site, in site order."""
    links = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        text = html.read_text(encoding="utf-8")
        if rel.startswith("assets") or redirect_target(text) is not None:
            continue
        url = "/" if rel == "." else f"/{rel}/"
        parser = _Anchors()
        parser.feed(text)
        links.append(url)
        links.extend(f"{url}#{anchor}" for anchor in parser.ids)
    return links


def scenario_links(data: dict) -> list[str]:
    """The named scenarios' links (``/calculators/break-even/?calls-per-day=...&v=1``)."""
    links = []
    for slug in REGISTRY:
        for name in data["calculators"][slug].get("scenarios", {}):
            query = link_query(get(slug), scenario_values(get(slug), data, name), data)
            links.append(f"/calculators/{slug}/?{query}")
    return links


def freeze_defaults(data_dir: Path) -> Path:
    """Start the next link version from today's defaults: run it after changing a default, so
    links made before keep theirs and links made afterwards carry the new version. Literal raw
    values, so later changes to data/ never reach a frozen version."""
    data = load_tree(data_dir)
    version = current_version(data) + 1
    target = data_dir / "link-defaults" / f"v{version}.yaml"
    lines = [
        f"# Version {version} of the calculator defaults, frozen by `make freeze-defaults`: a",
        f"# scenario link carrying v={version} fills every input it leaves out from here. Never edit.",
        "",
    ]
    for slug, values in freeze(data).items():
        lines.append(f"{slug}:")
        lines.extend(f"  {name}: {json.dumps(value)}" for name, value in values.items())
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def read_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, nargs="?")
    parser.add_argument("list_file", type=Path, nargs="?")
    parser.add_argument(
        "--freeze", type=Path, metavar="DATA", help="write DATA/link-defaults/vN.yaml and stop"
    )
    parser.add_argument("--data", type=Path, help="also list the named scenarios in this data/")
    parser.add_argument("--update", action="store_true", help="append links not yet listed")
    args = parser.parse_args(argv)
    if args.freeze:
        print(freeze_defaults(args.freeze))
        return 0
    if args.site_dir is None or args.list_file is None:
        parser.error("SITE_DIR and LIST_FILE are required")
    listed = set(read_list(args.list_file))
    found = site_links(args.site_dir)
    if args.data:
        found += scenario_links(load_tree(args.data))
    new = [link for link in found if link not in listed]
    for link in new:
        print(link)
    if args.update and new:
        with args.list_file.open("a", encoding="utf-8") as f:
            f.write("".join(link + "\n" for link in new))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
