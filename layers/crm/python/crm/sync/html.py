"""An allow-list HTML sanitiser on the standard library's html.parser.

Synced mail is shown inside the product, so its HTML may carry nothing that runs or
phones home: only the tags and attributes below survive, links only to http(s), mailto
and tel, no style, no scripts, no images from elsewhere (an image becomes its alt
text), no forms or frames. Text is re-escaped and every tag left open is closed, so the
output is well formed whatever came in. A dozen lines of rules, no dependency.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

ALLOWED = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
    "del", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strike",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul",
}  # fmt: skip
VOID = {"br", "hr", "col"}
# Elements whose content is never shown either
DROPPED = {
    "script", "style", "head", "title", "iframe", "object", "embed", "applet", "noscript",
    "template", "svg", "math", "frame", "frameset", "noframes", "select", "textarea",
    "button", "xml",
}  # fmt: skip
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "dir", "lang", "align"},
    "a": {"href"},
    "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width", "scope"},
    "table": {"border", "cellpadding", "cellspacing", "width"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type"},
    "font": {"color", "size"},
}
SCHEMES = ("http:", "https:", "mailto:", "tel:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_PLAIN_SPACE = re.compile(r"[ \t\r\f\v]+")


def _safe_url(value: str) -> str | None:
    url = value.strip()
    compact = _INVISIBLE.sub("", url).lower()
    if compact.startswith(SCHEMES):
        return url
    if compact.startswith("#"):
        return url
    return None


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag in DROPPED:
                self.dropping.append(tag)
            return
        if tag in DROPPED:
            self.dropping.append(tag)
            return
        if tag == "img":
            alt = next((v for k, v in attrs if k == "alt" and v), "")
            if alt:
                self.out.append(escape(f"[{alt}]"))
            return
        if tag not in ALLOWED:
            return
        kept = []
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed or value is None:
                continue
            if name == "href":
                value = _safe_url(value)
                if value is None:
                    continue
            kept.append(f' {name}="{escape(value, quote=True)}"')
        if tag == "a":
            kept.append(' rel="noopener noreferrer nofollow" target="_blank"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.open and tag not in VOID and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def sanitise(html: str) -> str:
    """HTML safe to show inside the product."""
    parser = _Sanitiser()
    parser.feed(html)
    return parser.result()


BREAKS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED:
            self.skipping += 1
        elif tag in BREAKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED and self.skipping:
            self.skipping -= 1
        elif tag in BREAKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def to_text(html: str) -> str:
    """The readable text of an HTML body (for a message that has no text part)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (_PLAIN_SPACE.sub(" ", line).strip() for line in "".join(parser.out).split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
