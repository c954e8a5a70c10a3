"""How well the web-page importer keeps the article and drops the site around it.

Each page is a real one written elsewhere (documentation installed with common tools);
its reference article is the element its generator puts the content in (Sphinx's
``role="main"``, mdBook's ``<main>``…), less the permalink signs beside headings.
Measured per page, on words (a bag of lower-cased words):

* kept: the share of the reference's words the importer's article holds (recall);
* clean: the share of the article's words that are in the reference (precision),
  what is left being site chrome;
* headings: the share of the reference's headings that stand as a line of their own;
* code: the share of the reference's multi-line code blocks whose first two lines are
  still two lines.

``python tests/benchmarks/bench_web_extraction.py [--trafilatura] [PAGE.html…]``; with
``--trafilatura`` (when it is installed) the same figures for trafilatura's text output.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import lxml.html

PAGES = {
    # generator: (path, XPath of the article)
    "Sphinx (Python IDLE help)": (
        "/root/.pyenv/versions/3.13.0/lib/python3.13/idlelib/help.html",
        "//div[@role='main']",
    ),
    "Node.js API (assert)": ("/usr/share/doc/nodejs/api/assert.html", "//div[@id='apicontent']"),
    "Node.js API (events)": ("/usr/share/doc/nodejs/api/events.html", "//div[@id='apicontent']"),
    "npm docs (npm install)": (
        "/usr/lib/node_modules/npm/docs/output/commands/npm-install.html",
        "//div[@id='_content']",
    ),
    "mdBook (Rust book, data types)": (
        "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html/book/ch03-02-data-types.html",
        "//main",
    ),
    "DocBook (Valgrind manual)": ("/usr/share/doc/valgrind/html/manual-core.html", "//div[@class='chapter']"),
    "DocBook (shared-mime-info spec)": (
        "/usr/share/doc/shared-mime-info/shared-mime-info-spec.html/x34.html",
        "//div[@class='sect1']",
    ),
    "table layout (libxslt FAQ)": (
        "/usr/share/doc/libxslt1-dev/html/FAQ.html",
        "(//td[@bgcolor='#fffacd'])[last()]",
    ),
    "rustdoc (std::vec::Vec)": (
        "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html/std/vec/struct.Vec.html",
        "//section[@id='main-content']",
    ),
}
_WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def reference(html: bytes, xpath: str) -> tuple[str, list[str], list[list[str]]]:
    dom = lxml.html.document_fromstring(html)
    for a in dom.xpath("//a[contains(@class, 'headerlink')] | //div[@class='toc']"):
        a.drop_tree()
    found = dom.xpath(xpath)
    if not found:
        raise SystemExit(f"no {xpath} in the page")
    root = found[0]
    headings = [" ".join(h.text_content().split()).rstrip("¶#§ ") for h in root.iter("h1", "h2", "h3", "h4")]
    code = []
    for pre in root.iter("pre"):
        lines = [line.rstrip() for line in pre.text_content().split("\n") if line.strip()]
        if len(lines) >= 2:
            code.append(lines[:2])
    return root.text_content(), [h for h in headings if h], code


def ours(path: Path) -> str:
    from hyp_board.ingest.importer import read_document

    return read_document(path).document.text


def trafilatura_text(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_bytes(), include_tables=True, include_comments=False) or ""


def measure(text: str, ref_text: str, headings: list[str], code: list[list[str]]) -> dict[str, float]:
    ref, out = words(ref_text), words(text)
    common = sum((ref & out).values())
    lines = {" ".join(line.split()).strip("#*• ") for line in text.split("\n")}
    return {
        "kept": common / max(1, sum(ref.values())),
        "clean": common / max(1, sum(out.values())),
        "headings": sum(1 for h in headings if h in lines) / max(1, len(headings)),
        "code": sum(1 for a, b in code if f"{a.strip()}\n{b.strip()}" in _stripped_lines(text))
        / max(1, len(code)),
    }


def _stripped_lines(text: str) -> str:
    # Blank lines apart: the reference's code lines are taken without them.
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trafilatura", action="store_true")
    args = parser.parse_args()
    extractors = {"Hypothesis Board": ours}
    if args.trafilatura:
        extractors["trafilatura"] = trafilatura_text
    totals: dict[str, Counter[str]] = {name: Counter() for name in extractors}
    print(f"{'page':34} {'extractor':17} {'kept':>6} {'clean':>6} {'heads':>6} {'code':>6}")
    measured = 0
    for label, (name, xpath) in PAGES.items():
        path = Path(name)
        if not path.exists():
            print(f"{label:34} (not on this machine)", file=sys.stderr)
            continue
        ref_text, headings, code = reference(path.read_bytes(), xpath)
        measured += 1
        for extractor, extract in extractors.items():
            m = measure(extract(path), ref_text, headings, code)
            totals[extractor].update(m)
            print(
                f"{label:34} {extractor:17} {m['kept']:6.0%} {m['clean']:6.0%} "
                f"{m['headings']:6.0%} {m['code']:6.0%}"
            )
    for extractor, total in totals.items():
        n = max(1, measured)
        print(
            f"{'mean of ' + str(measured) + ' pages':34} {extractor:17} {total['kept'] / n:6.0%} "
            f"{total['clean'] / n:6.0%} {total['headings'] / n:6.0%} {total['code'] / n:6.0%}"
        )


if __name__ == "__main__":
    main()
