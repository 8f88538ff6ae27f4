"""Read rendered pages the way a visitor does: text of elements, found by simple selectors.

Selectors: `tag`, `#id`, `.class`, `[attr]`, `[attr=value]`, combined (`li.session`),
separated by spaces for descendants (`section.programme-day h4`) or by ` > ` for children.
Enough for tests, with no dependency on a parser library.
"""

import html
import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_PART = re.compile(r"([#.]?[\w-]+|\[[\w-]+(?:=[^\]]*)?\])")


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    @property
    def text(self) -> str:
        """Text content with whitespace (non-breaking spaces too) collapsed to single spaces."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c._raw_text() for c in self.children)

    def child_nodes(self):
        return [child for child in self.children if isinstance(child, Node)]

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def select(self, selector: str) -> list["Node"]:
        found, children_only = [self], False
        for compound in selector.split():
            if compound == ">":
                children_only = True
                continue
            tests = _PART.findall(compound)
            found = _unique(
                node
                for base in found
                for node in (base.child_nodes() if children_only else base.iter())
                if _matches(node, tests)
            )
            children_only = False
        return found

    def select_one(self, selector: str) -> "Node":
        found = self.select(selector)
        assert len(found) == 1, f"{selector!r} matched {len(found)} elements"
        return found[0]

    def texts(self, selector: str) -> list[str]:
        return [node.text for node in self.select(selector)]


def _unique(nodes):
    seen, result = set(), []
    for node in nodes:
        if id(node) not in seen:
            seen.add(id(node))
            result.append(node)
    return result


def _matches(node, tests) -> bool:
    for test in tests:
        if test.startswith("#"):
            ok = node.attrs.get("id") == test[1:]
        elif test.startswith("."):
            ok = test[1:] in (node.attrs.get("class") or "").split()
        elif test.startswith("["):
            name, _, value = test[1:-1].partition("=")
            ok = name in node.attrs and (not value or node.attrs[name] == value.strip("\"'"))
        else:
            ok = node.tag == test
        if not ok:
            return False
    return True


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(content) -> Node:
    """The document of a response (or of HTML text)."""
    if hasattr(content, "content"):
        content = content.content.decode(content.charset or "utf-8")
    builder = _TreeBuilder()
    builder.feed(content)
    builder.close()
    return builder.root


def page_title(response) -> str:
    """The document's title as sent, non-breaking spaces kept ("Erreur\u00a0: …")."""
    content = response.content.decode(response.charset or "utf-8")
    match = re.search(r"<title>(.*?)</title>", content, re.DOTALL)
    assert match, "the page has no title"
    return html.unescape(match.group(1))
