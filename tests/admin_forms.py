"""The data a browser would POST back from a rendered form, read from the page itself.

Read from the HTML rather than rebuilt from the form object, so values rendered in a
particular time zone or format come back exactly as the page showed them.
"""

from tests.html import parse

SKIPPED_TYPES = {"submit", "button", "image", "file", "reset"}


def form_data(response, selector="form", **changes):
    """{name: value or [values]} of the form matching `selector`, with `changes` applied."""
    form = parse(response).select(selector)[0]
    data = {}
    for node in form.iter():
        name = node.attrs.get("name")
        if not name or "__prefix__" in name or "disabled" in node.attrs:
            continue
        if node.tag == "input":
            kind = node.attrs.get("type", "text")
            if kind in SKIPPED_TYPES:
                continue
            if kind in {"checkbox", "radio"}:
                if "checked" in node.attrs:
                    _add(data, name, node.attrs.get("value", "on"))
                continue
            data[name] = node.attrs.get("value") or ""
        elif node.tag == "textarea":
            text = node._raw_text()
            data[name] = text[1:] if text.startswith("\n") else text
        elif node.tag == "select":
            options = node.select("option")
            chosen = [o.attrs.get("value", o.text) for o in options if "selected" in o.attrs]
            if "multiple" in node.attrs:
                data[name] = chosen
            elif chosen or options:
                data[name] = chosen[0] if chosen else options[0].attrs.get("value", "")
    data.update(changes)
    return data


def _add(data, name, value):
    if name in data:
        existing = data[name]
        data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
    else:
        data[name] = value
