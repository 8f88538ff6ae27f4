import datetime
import re

from django import template
from django.forms import BaseForm
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from convene.core import formatting
from convene.core.validators import INVISIBLE_FORMAT, LINE_BREAKS

register = template.Library()


def _forms_in(value):
    """The forms a context value holds: itself, or the values of a dict of forms (by action).

    `type()`, not `isinstance()`: isinstance reads `__class__`, which evaluates the lazy
    values of the context (`user`, `csrf_token`); that would read the session and set
    the CSRF cookie on every page, making public pages vary on the cookie.
    """
    if issubclass(type(value), BaseForm):
        return [value]
    if issubclass(type(value), dict):
        return [item for item in value.values() if issubclass(type(item), BaseForm)]
    return []


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    """The "Error: " prefix of the page title when a form of the page was refused, else "".

    The title is the first thing a screen reader announces after a failed submit
    (WCAG 3.3.1). One tag in base.html covers every form page, whatever the view names
    its form, and reads the same `form.errors` that shows the error summary, so the two
    cannot disagree.
    """
    for value in context.flatten().values():
        if any(form.is_bound and form.errors for form in _forms_in(value)):
            return pgettext("page title prefix", "Error:") + " "
    return ""


@register.filter
def long_date(value, pattern="j F Y"):
    """Like the `date` filter (datetimes in the current time zone), with French's "1er"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formatting.format_date(value, pattern)


@register.simple_tag
def date_range(start, end):
    return formatting.format_date_range(start, end)


@register.simple_tag
def time_zone_label(tzinfo, on):
    return formatting.format_time_zone(tzinfo, on)


@register.simple_tag
def local_datetime(moment, tzinfo):
    return formatting.format_local_datetime(moment, tzinfo)


@register.simple_tag
def local_date(moment, tzinfo):
    """The day of a moment at the venue: "6 September 2021"."""
    return formatting.format_local_date(moment, tzinfo)


@register.filter
def plain_text_blocks(text, heading_level=3):
    """Render staff-entered text safely: blank-line paragraphs, '## ' headings, '- ' lists.

    Everything is escaped; only the structure becomes HTML.
    """
    blocks = [block.strip() for block in str(text or "").replace("\r\n", "\n").split("\n\n")]
    html = []
    for block in filter(None, blocks):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines[0].startswith("## ") and len(lines) == 1:
            html.append(format_html("<h{0}>{1}</h{0}>", int(heading_level), lines[0][3:].strip()))
        elif all(line.startswith(("- ", "• ")) for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in lines))
            html.append(format_html("<ul>{}</ul>", items))
        else:
            paragraph = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
            html.append(format_html("<p>{}</p>", paragraph))
    return mark_safe("".join(html))  # noqa: S308  (every part built by format_html)


@register.filter
def lines(text):
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@register.filter
def without_final_stop(text):
    """A label that is a sentence ("I agree to … above.") without its full stop, for use
    before a colon: "I agree to … above: Your consent is needed", never ".:"."""
    return str(text).rstrip().removesuffix(".")


# What a stranger typed, quoted in an email: indented and marked on every line (in HTML, a
# blockquote), so that a name such as "Approved. Click http://…" never reads as a
# sentence of the system's own.
QUOTE_PREFIX = "    > "
LINE_BREAK_RUNS = re.compile(f"(?:{LINE_BREAKS.pattern})+")


def _quoted(lines, autoescape: bool) -> str:
    if autoescape:
        quoted = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
        return format_html("<blockquote>{}</blockquote>", quoted)
    return "\n".join(QUOTE_PREFIX + line for line in lines)


@register.filter(needs_autoescape=True)
def quote_line(value, autoescape=True):
    """One quoted line: line breaks become spaces, invisible format characters go."""
    text = LINE_BREAK_RUNS.sub(" ", INVISIBLE_FORMAT.sub("", str(value or ""))).strip()
    return _quoted([text], autoescape)


@register.filter(needs_autoescape=True)
def quote_block(value, autoescape=True):
    """Quoted text of several lines, each marked; nothing for empty text."""
    text = INVISIBLE_FORMAT.sub("", str(value or "")).strip()
    if not text:
        return ""
    return _quoted([line.rstrip() for line in text.splitlines()], autoescape)
