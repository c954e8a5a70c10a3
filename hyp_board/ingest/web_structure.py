"""Web pages with their structure: headings, list items, code, the lead, quotations.

jusText still tells the article from the site around it (measured against trafilatura
on documentation pages, a news page and a blog page with comments: see the README's
developer notes), but its verdicts are per paragraph, and short paragraphs lose: a
section heading, a list item, a line of code. Here every paragraph also gets its kind
from its place in the page (``h2``, ``li`` in an ``ol``, ``pre``…), and the article is
jusText's good paragraphs plus every heading, item, code block and lead that stands
between them and is not chrome on its own merits (a link list). Code keeps its line
breaks; an item carries its marker ("•" or its number) as text; headings are marked
over the text. A heading's permalink sign (Sphinx's "¶") is not part of the heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from justext.core import ParagraphMaker, classify_paragraphs, preprocessor

from hyp_board.core.layout import BlockKind, LayoutBuilder
from hyp_board.core.model import Document
from hyp_board.ingest import boilerplate
from hyp_board.ingest.importer import ImportedDocument, _html_details
from hyp_board.ingest.text_decoding import Decoded

_HEADING = re.compile(r"^h([1-6])$")
_LIST = {"ul", "ol", "dl", "menu"}
_LEAD = re.compile(r"\b(abstract|lead|standfirst|dek|summary|intro|subtitle|subhead)\b", re.I)
_PERMALINK_SIGNS = {"¶", "#", "§", "🔗", "link", "permalink", "¤"}
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|·|::|:|»|/)\s+")
_MAX_BLOCKS = 50_000
MAX_PAGE_ELEMENTS = 100_000  # HTML elements; a long encyclopaedia article has some 40,000
# jusText's own default: a paragraph more than a fifth link text is navigation. (Its
# "bad" verdict also covers text short of stopwords, which code is: not chrome.)
_MAX_LINK_DENSITY = 0.2
_TITLE_SEARCH = 40  # paragraphs before the article looked through for its title


@dataclass(slots=True)
class _Paragraph:
    text: str
    kind: BlockKind | None
    level: int
    good: bool  # jusText's verdict
    near_good: bool  # jusText's first verdict was good or nearly so (before context)
    chrome: bool  # chrome on its own merits (mostly links, a copyright line)
    item_key: str = ""  # the list item (or table row) it belongs to


def from_html(decoded: Decoded, fallback_title: str) -> ImportedDocument:
    dom = boilerplate.parse_html(decoded.text)
    elements = sum(1 for _ in dom.iter())
    if elements > MAX_PAGE_ELEMENTS:
        # Telling the article from the site takes jusText some 30 µs an element: a page
        # of millions would take minutes before its paragraphs could even be counted.
        raise ValueError(
            f"the page is built of {elements:,} elements, more than the {MAX_PAGE_ELEMENTS:,} "
            "a page may have to be read (save its text as a .txt file to import it)"
        )
    _drop_permalinks(dom)
    details = _html_details(dom)
    details["title"] = page_title(dom, details.get("title", "")) or fallback_title
    paragraphs = _structured_paragraphs(dom, dom.text_content())
    if not paragraphs:
        raise ValueError("the page holds no readable text")
    keep = _article(paragraphs)
    original, article = LayoutBuilder(), LayoutBuilder()
    _write(original, paragraphs)
    _write(article, [p for p, kept in zip(paragraphs, keep, strict=True) if kept])
    notes = list(decoded.repairs)
    kept = sum(keep)
    has_article = 0 < kept < len(paragraphs)
    if has_article:
        notes.append(f"kept the article, set aside {len(paragraphs) - kept} blocks of site chrome")
    document = Document(
        title=details["title"],
        original_text=original.text(),
        article_text=article.text() if has_article else None,
        author=details.get("author", ""),
        origin=details.get("origin", ""),
        published=details.get("published", ""),
        original_layout=original.layout() or None,
        article_layout=(article.layout() or None) if has_article else None,
    )
    return ImportedDocument(document, "html", decoded.encoding, notes)


def _drop_permalinks(dom: lxml.html.HtmlElement) -> None:
    """Remove the anchors documentation generators put beside headings ("¶", "#"), and
    unwrap a heading that is a link to itself (mdBook's), which would read as navigation."""
    for a in list(dom.iter("a")):
        href = a.get("href", "")
        text = (a.text_content() or "").strip().lower()
        css = a.get("class", "")
        if "headerlink" in css or "anchor" in css or (href.startswith("#") and text in _PERMALINK_SIGNS):
            a.drop_tree()
        elif href.startswith("#") and any(_HEADING.match(str(el.tag)) for el in a.iterancestors()):
            a.drop_tag()


def page_title(dom: lxml.html.HtmlElement, from_metadata: str) -> str:
    """The page's own title: its metadata's, else ``<title>`` without the site's name
    where that is obvious (the part that is the site name, or the part that is not the
    page's first heading), else its first heading."""
    if from_metadata and _has_title_metadata(dom):
        return _without_permalink(from_metadata)
    titles = [" ".join(t.text_content().split()) for t in dom.iter("title")]
    title = next((t for t in titles if t), "")
    if not title:
        return _first_heading(dom) or _without_permalink(from_metadata)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    site_names = {
        " ".join((m.get("content") or "").split()).casefold()
        for m in dom.iter("meta")
        if (m.get("property") or m.get("name") or "").lower() in ("og:site_name", "application-name")
    }
    named = [p for p in parts if p.casefold() not in site_names]
    if named and len(named) < len(parts):
        return " – ".join(named)
    headings = {
        _without_permalink(" ".join(el.text_content().split())).casefold() for el in dom.iter("h1", "h2")
    }
    if parts[-1].casefold() in headings and parts[0].casefold() not in headings:
        return parts[-1]  # "Site | Page"
    # "Page — Site documentation", the usual order: the first part names the page.
    return parts[0] if len(parts[0]) >= 3 else title


def _has_title_metadata(dom: lxml.html.HtmlElement) -> bool:
    # Without it the importer's details fall back to the first <h1>; <title> comes first here.
    return any(
        (m.get("property") or m.get("name") or "").lower() in ("og:title", "twitter:title", "dc.title")
        for m in dom.iter("meta")
    )


def _first_heading(dom: lxml.html.HtmlElement) -> str:  # for a page without <title>
    for el in dom.iter("h1", "h2"):
        text = _without_permalink(" ".join(el.text_content().split()))
        if text:
            return text
    return ""


def _without_permalink(text: str) -> str:
    return text.rstrip(" ¶§#🔗").strip()


# -- paragraphs with their kinds ---------------------------------------------------------
def _structured_paragraphs(dom: lxml.html.HtmlElement, language_sample: str) -> list[_Paragraph]:
    cleaned = preprocessor(dom)
    boilerplate._keep_spaces_between_inline_elements(cleaned)
    found = ParagraphMaker.make_paragraphs(cleaned)
    if len(found) > _MAX_BLOCKS:
        raise ValueError(f"the page has over {_MAX_BLOCKS:,} paragraphs")
    classify_paragraphs(found, boilerplate.stoplist_for(language_sample))
    boilerplate.revise_in_context(found)  # jusText's own pass is quadratic in short paragraphs
    # Elements by the path jusText gives them: looking each up with an XPath query takes
    # time in proportion to its siblings, minutes for a page of 50,000 paragraphs.
    tree = _elements_by_path(cleaned)
    source = _elements_by_path(dom)  # code read from the page as it was, every space kept
    out: list[_Paragraph] = []
    for p in found:
        tags = p.dom_path.split(".")
        kind, level, item_key = _kind(tags, p.xpath)
        if kind is BlockKind.CODE:
            text = _code_text(source, p.xpath) or _code_text(tree, p.xpath) or p.text
        else:
            text = " ".join(p.text.split())
            if kind is BlockKind.HEADING:
                text = _without_permalink(text)
            elif kind is BlockKind.ITEM:
                text = _marker(tree, item_key, level, out) + text
        if not text.strip():
            continue
        if kind is None and _has_lead_class(tree.get(p.xpath)):
            kind = BlockKind.LEAD
        chrome = p.links_density() > _MAX_LINK_DENSITY or "©" in text or "&copy" in text
        if kind is BlockKind.TABLE_ROW and out and out[-1].item_key == item_key:
            # The cells of one row, one line: "Version | Changes".
            row = out[-1]
            row.text += " | " + text
            row.good = row.good or not p.is_boilerplate
            row.near_good = row.near_good or p.cf_class in ("good", "neargood")
            row.chrome = row.chrome and chrome
            continue
        near_good = p.cf_class in ("good", "neargood")
        out.append(_Paragraph(text, kind, level, not p.is_boilerplate, near_good, chrome, item_key))
    return out


def _kind(tags: list[str], xpath: str) -> tuple[BlockKind | None, int, str]:
    if "pre" in tags:
        return BlockKind.CODE, 0, ""
    for tag in reversed(tags):
        if match := _HEADING.match(tag):
            return BlockKind.HEADING, int(match.group(1)), ""
    if "li" in tags:
        depth = sum(1 for tag in tags if tag in _LIST)
        steps = xpath.split("/")
        last_li = max(i for i, step in enumerate(steps) if step.startswith("li["))
        return BlockKind.ITEM, max(depth, 1), "/".join(steps[: last_li + 1])
    if "tr" in tags:
        steps = xpath.split("/")
        last_tr = max(i for i, step in enumerate(steps) if step.startswith("tr["))
        return BlockKind.TABLE_ROW, 0, "/".join(steps[: last_tr + 1])
    if "blockquote" in tags:
        return BlockKind.QUOTE, 0, ""
    return None, 0, ""


def _elements_by_path(root: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    """Every element under the path jusText gives it: ``/html[1]/body[1]/p[3]``, each
    step numbered among the siblings of the same tag."""
    paths: dict[str, lxml.html.HtmlElement] = {}
    stack = [(root, f"/{root.tag}[1]")]
    while stack:
        element, path = stack.pop()
        paths[path] = element
        counts: dict[str, int] = {}
        for child in element:
            if isinstance(child.tag, str):
                counts[child.tag] = counts.get(child.tag, 0) + 1
                stack.append((child, f"{path}/{child.tag}[{counts[child.tag]}]"))
    return paths


def _code_text(tree: dict[str, lxml.html.HtmlElement], xpath: str) -> str:
    steps = xpath.split("/")
    pre_at = max(i for i, step in enumerate(steps) if step.startswith("pre["))
    found = tree.get("/".join(steps[: pre_at + 1]))
    if found is None:
        return ""
    lines = [line.rstrip() for line in str(found.text_content()).replace("\r\n", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _marker(
    tree: dict[str, lxml.html.HtmlElement], item_key: str, level: int, before: list[_Paragraph]
) -> str:
    """ "• " or "3. " for an item's first paragraph (indented by its depth); an item's
    later paragraphs get only the indent."""
    indent = "  " * (level - 1)
    if any(p.item_key == item_key for p in before[-3:]):
        return indent + "  "
    found = tree.get(item_key)
    parent = found.getparent() if found is not None else None
    if parent is not None and parent.tag == "ol":
        try:
            start = int(parent.get("start", "1"))
        except ValueError:
            start = 1
        position = int(item_key.rsplit("[", 1)[1].rstrip("]"))  # among the list's items
        return f"{indent}{start + position - 1}. "
    return f"{indent}• "


def _has_lead_class(found: lxml.html.HtmlElement | None) -> bool:
    if found is None:
        return False
    for el in (found, *list(found.iterancestors())[:3]):
        if _LEAD.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
    return False


# -- the article ---------------------------------------------------------------------------
def _article(paragraphs: list[_Paragraph]) -> list[bool]:
    """jusText's good paragraphs, and the structure around and between them."""
    keep = [p.good for p in paragraphs]
    if not any(keep):
        # A page too short for jusText to be sure of: its nearly good paragraphs
        # stand for the article, else everything not chrome on its own merits.
        keep = [p.near_good and not p.chrome for p in paragraphs]
        if not any(keep):
            return [not p.chrome for p in paragraphs]
    first = keep.index(True)
    last = len(keep) - 1 - keep[::-1].index(True)
    structural = (
        BlockKind.HEADING,
        BlockKind.ITEM,
        BlockKind.CODE,
        BlockKind.LEAD,
        BlockKind.QUOTE,
        BlockKind.TABLE_ROW,
    )
    for i in range(first, last + 1):
        if not keep[i] and paragraphs[i].kind in structural and not paragraphs[i].chrome:
            keep[i] = True
    # What stands between the article's title (the nearest h1 before its first good
    # paragraph, else the nearest h2) and that paragraph belongs to it, chrome apart: an
    # introduction too short for jusText, a synopsis in code, a first list.
    window = range(first - 1, max(-1, first - 1 - _TITLE_SEARCH), -1)
    title_at = next((i for i in window if _is_main_heading(paragraphs[i], 1)), None)
    if title_at is None:
        title_at = next((i for i in window if _is_main_heading(paragraphs[i], 2)), None)
    if title_at is not None:
        for i in range(title_at, first):
            keep[i] = keep[i] or not paragraphs[i].chrome
    else:
        i = first - 1
        while (
            i >= 0 and paragraphs[i].kind in (BlockKind.HEADING, BlockKind.LEAD) and not paragraphs[i].chrome
        ):
            keep[i] = True
            i -= 1
    return keep


def _is_main_heading(p: _Paragraph, level: int) -> bool:
    return p.kind is BlockKind.HEADING and p.level == level and not p.chrome


def _write(builder: LayoutBuilder, paragraphs: list[_Paragraph]) -> None:
    for p in paragraphs:
        builder.block(p.text, p.kind, p.level)
