"""A deck of cards as JSON, an embeddable HTML snippet (its style inline, no script, no
external request) and an SVG image."""

from __future__ import annotations

import json
import textwrap
from html import escape
from typing import Any

from tmo.factcards import words as w

SVG_WIDTH = 720
SVG_CHARS = 88  # characters per line of the image (DejaVu Sans 14 px fits about 92)
LINE = 20


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


def rows_cited(sources: list[dict[str, Any]], lang: str) -> list[str]:
    """'file (rows 12, 13)' or 'file (2952 rows)' of each source, in `lang`, once each."""
    parts = []
    for s in sources:
        rows = f"{w.word('rows', lang)} {', '.join(s['rows'])}" if s["rows"] \
            else f"{s['n_rows']} {w.word('rows', lang)}"
        parts.append(f"{', '.join(s['files'])} ({rows})")
    return list(dict.fromkeys(parts))


def source_line(card: dict[str, Any], lang: str) -> str:
    """'Source: file (rows …); revision 2024' in the card's language."""
    parts = rows_cited(card["sources"], lang)
    return (f"{w.label('source', lang)} " + "; ".join(dict.fromkeys(parts))
            + f" · {w.word('revision', lang)} {card['revision']}")


def to_html(doc: dict[str, Any], heading: str = "h2") -> str:
    """An embeddable snippet: one <section>, its own scoped style; its title is a
    `heading` (h1 where the snippet is the page: /embed/facts)."""
    lang = doc["lang"]
    items = []
    for card in doc["cards"]:
        caveats = "".join(f'<p class="tmo-caveat">{escape(w.label("caveat", lang))} '
                          f"{escape(c)}</p>" for c in card["caveats"])
        items.append(f'<li data-key="{escape(card["key"])}"><p class="tmo-fact">'
                     f'{escape(card["text"])}</p>{caveats}'
                     f'<p class="tmo-src">{escape(source_line(card, lang))}</p></li>')
    cites = "".join(f"<li>{escape(p['citation'] or p['file'])}</li>"
                    for p in doc.get("provenance") or [])
    return (f'<section class="tmo-cards" lang="{lang}" data-place="{escape(doc["place"])}">'
            "<style>.tmo-cards{font-family:'DejaVu Sans',Arial,sans-serif;color:#1d2733;"
            "border:1px solid #dfe5ec;border-radius:6px;padding:.8rem 1rem;max-width:46rem}"
            f".tmo-cards {heading}{{font-size:1.15rem;margin:.2rem 0 .6rem}}"
            ".tmo-cards ul{padding:0;margin:0;list-style:none}"
            ".tmo-cards li{border-top:1px solid #dfe5ec;padding:.5rem 0}"
            ".tmo-fact{margin:0;font-size:1rem}.tmo-caveat{margin:.2rem 0 0;font-size:.85rem;"
            "color:#7a4b00}.tmo-src,.tmo-cards footer{margin:.2rem 0 0;font-size:.75rem;"
            "color:#5b6775;overflow-wrap:anywhere}</style>"
            f"<{heading}>{escape(doc['title'])}</{heading}><ul>{''.join(items)}</ul>"
            f"<footer>{escape(w.word('made_by', lang))}<ul>{cites}</ul></footer></section>")


def to_svg(doc: dict[str, Any]) -> str:
    """The cards as one image: the title, each card's sentence, its caveats and source."""
    lang = doc["lang"]
    lines: list[tuple[str, str]] = [("title", doc["title"])]
    for card in doc["cards"]:
        lines += [("fact", t) for t in textwrap.wrap(card["text"], SVG_CHARS)]
        for c in card["caveats"]:
            lines += [("caveat", t) for t in textwrap.wrap(c, SVG_CHARS + 10)]
        lines += [("src", t) for t in textwrap.wrap(source_line(card, lang), SVG_CHARS + 20)]
        lines.append(("gap", ""))
    lines.append(("src", w.word("made_by", lang)))
    style = {"title": 'font-size="18" font-weight="bold"', "fact": 'font-size="14"',
             "caveat": 'font-size="12" fill="#7a4b00"', "src": 'font-size="11" fill="#5b6775"'}
    y, out = 30, []
    for kind, text in lines:
        if kind == "gap":
            y += 8
            continue
        out.append(f'<text x="16" y="{y}" {style[kind]}>{escape(text)}</text>')
        y += LINE + (6 if kind == "title" else 0)
    desc = " ".join(c["text"] for c in doc["cards"])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_WIDTH}" height="{y + 10}" '
            f'viewBox="0 0 {SVG_WIDTH} {y + 10}" role="img" lang="{lang}" '
            'aria-labelledby="tmo-card-title tmo-card-desc" '
            'font-family="DejaVu Sans, Arial, sans-serif" fill="#1d2733">'
            f'<title id="tmo-card-title">{escape(doc["title"])}</title>'
            f'<desc id="tmo-card-desc">{escape(desc)}</desc>'
            f'<rect width="100%" height="100%" fill="#ffffff" stroke="#dfe5ec"/>'
            f'{"".join(out)}</svg>')
