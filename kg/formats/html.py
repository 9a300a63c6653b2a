"""Web-page exports (Confluence, Notion, Google Docs) as Markdown-shaped lines.

Parsed with Beautiful Soup (Python's own HTML parser underneath: nothing is
fetched, no script runs) and written out as the Markdown the extractor reads:
- `<h1>`…`<h6>` -> `#`…`######`; the page `<title>` when there is no `<h1>`;
- lists -> `- ` / `1. `, nested lists indented (Google Docs' flat `lst-kix_…-N`
  lists too); a checkbox (`<input type=checkbox>`, Notion's `checkbox-on`,
  Confluence's task lists) -> `- [ ]` / `- [x]`;
- tables -> `| a | b |` rows, the first row as the header;
- `@mention` chips and `mailto:` links -> `[Name](mailto:…)` person chips;
  other links -> `[text](url)`; `<b>`/`<strong>` -> `**…**`;
- paragraphs, `<br>` and block elements -> lines; `<pre>` -> a code block.
Scripts, styles and the rest of `<head>` are not content.
"""

from __future__ import annotations

import re

from . import FormatError

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "nav", "iframe",
                   "object", "button", "select"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside",
                    "blockquote", "figure", "figcaption", "details", "summary", "dl", "dt",
                    "dd", "address", "body", "html", "center", "form", "fieldset"})
_HEADING = re.compile(r"^h([1-6])$")
_GDOCS_LEVEL = re.compile(r"^lst-kix_\w+-(\d+)$")


def html_to_lines(text: str) -> str:
    """An HTML page's content as Markdown-shaped lines."""
    from bs4 import BeautifulSoup
    writer = _Writer()
    try:
        soup = BeautifulSoup(text, "html.parser")
        if soup.find("h1") is None and soup.title and soup.title.get_text(strip=True):
            writer.lines.append("# " + " ".join(soup.title.get_text().split()))
        writer.block(soup)
    except RecursionError as exc:
        raise FormatError("a web page nested too deeply to read") from exc
    writer.flush()
    if not any(line.strip() for line in writer.lines):
        raise FormatError("a web page with no text")
    return "\n".join(writer.lines)


class _Writer:
    """Walks the tree, gathering inline text and writing a line at each block's end."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.words: list[str] = []
        self.prefix = ""  # what the next line starts with ("  - [ ] ", "## ")
        self.indent = ""  # what later lines of the same list item start with

    def flush(self) -> None:
        text = " ".join("".join(self.words).split())
        self.words.clear()
        if text:
            self.lines.append(self.prefix + text)
            self.prefix = self.indent

    def block(self, node, depth: int = 0) -> None:
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                self.words.append(_text(child))
            elif name in _SKIP:
                continue
            elif name == "br":
                self.flush()
            elif name == "hr":
                self.flush()
                self.lines.append("---")
            elif (h := _HEADING.match(name)) is not None:
                self._heading(child, int(h.group(1)))
            elif name in ("ul", "ol"):
                self.flush()
                self._list(child, depth)
            elif name == "li":
                self._item(child, "-", depth)
            elif name == "table":
                self.flush()
                self.lines += _table(child)
            elif name == "pre":
                self.flush()
                self.lines += ["```", *child.get_text().rstrip("\n").split("\n"), "```"]
            elif name in _BLOCK:
                self.flush()
                self.block(child, depth)
                self.flush()
            else:
                self.words.append(_inline(child))

    def _heading(self, node, level: int) -> None:
        self.flush()
        text = " ".join(node.get_text(" ").split())
        if text:
            self.lines.append("#" * level + " " + text)

    def _list(self, node, depth: int) -> None:
        level = _gdocs_level(node)
        depth = level if level is not None else depth
        marker = "1." if node.name == "ol" else "-"
        tasks = "inline-task-list" in (node.get("class") or [])
        for child in node.children:
            if getattr(child, "name", None) == "li":
                self._item(child, marker, depth, tasks)
            elif getattr(child, "name", None) in ("ul", "ol"):
                self._list(child, depth + 1)

    def _item(self, node, marker: str, depth: int, tasks: bool = False) -> None:
        self.flush()
        box = _checkbox(node, tasks)
        saved = self.prefix, self.indent
        self.prefix = "  " * depth + marker + ("" if box is None else " [x]" if box else " [ ]")
        self.prefix += " "
        self.indent = "  " * (depth + 1)
        self.block(node, depth + 1)
        self.flush()
        self.prefix, self.indent = saved


def _inline(node) -> str:
    """Inline markup as Markdown: chips, links, bold; anything else as its text."""
    name = node.name
    if name in _SKIP:
        return ""
    if name == "input":
        return ""
    classes = " ".join(node.get("class") or []).lower()
    href = node.get("href") or ""
    if _is_mention(node, classes) or href.lower().startswith("mailto:"):
        person = " ".join(node.get_text(" ").split()).lstrip("@")
        address = node.get("data-email") or ""
        url = href if href.lower().startswith("mailto:") else f"mailto:{address}"
        return f"[{person}]({url})" if person else ""
    text = "".join(_inline(c) if getattr(c, "name", None) else _text(c) for c in node.children)
    if name == "a" and href and not href.startswith(("#", "javascript:")) and text.strip():
        return f"[{' '.join(text.split())}]({href.replace(' ', '%20')})"
    if name in ("b", "strong") and text.strip():
        return f"**{' '.join(text.split())}**"
    if name == "br":
        return " "
    return text


def _text(node) -> str:
    """A text node's words; a comment, doctype or processing instruction says nothing."""
    return str(node) if type(node).__name__ in ("NavigableString", "CData") else ""


def _is_mention(node, classes: str) -> bool:
    """A person chip: Confluence `user-mention`, Notion `<span class="user">`, data-username."""
    return "mention" in classes or (node.name == "span" and classes == "user") \
        or node.has_attr("data-username") or node.has_attr("data-mention-id")


def _checkbox(node, tasks: bool) -> bool | None:
    """True/False for a ticked/unticked list item, None for a plain one."""
    box = node.find("input", attrs={"type": "checkbox"})
    if box is not None:
        return box.has_attr("checked")
    marker = node.find(class_=re.compile(r"^checkbox-(on|off)$"))
    if marker is not None:
        return "checkbox-on" in marker.get("class")
    if tasks or node.has_attr("data-inline-task-id"):
        return "checked" in (node.get("class") or [])
    return None


def _gdocs_level(node) -> int | None:
    for cls in node.get("class") or []:
        m = _GDOCS_LEVEL.match(cls)
        if m:
            return int(m.group(1))
    return None


def _table(node) -> list[str]:
    rows = []
    for tr in node.find_all("tr"):
        if tr.find_parent("table") is not node:
            continue  # a table inside a cell belongs to that cell
        cells = [_cell(td) for td in tr.find_all(("td", "th"), recursive=False)]
        if cells:
            rows.append(cells)
    if not rows:
        return []
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    return lines[:1] + ["|" + "---|" * len(rows[0])] + lines[1:]


def _cell(node) -> str:
    writer = _Writer()
    writer.block(node)
    writer.flush()
    return "<br>".join(line.strip() for line in writer.lines if line.strip()).replace("|", r"\|")
