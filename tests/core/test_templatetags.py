import datetime
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from convene.core.templatetags.convene import (
    error_title_prefix,
    lines,
    plain_text_blocks,
    quote_block,
    quote_line,
)


def test_plain_text_blocks_escapes_html():
    html = plain_text_blocks('Hello <script>alert("x")</script> & bye')

    assert html == "<p>Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; bye</p>"


def test_plain_text_blocks_builds_paragraphs_headings_and_lists():
    text = (
        "First paragraph,\nsecond line.\r\n\r\n"
        "## A heading\n\n"
        "- one\n- two <b>\n\n"
        "• bullet\n\n\n\n"
        "Last."
    )

    html = plain_text_blocks(text)

    assert html == (
        "<p>First paragraph,<br>second line.</p>"
        "<h3>A heading</h3>"
        "<ul><li>one</li><li>two &lt;b&gt;</li></ul>"
        "<ul><li>bullet</li></ul>"
        "<p>Last.</p>"
    )


def test_plain_text_blocks_heading_level_is_the_argument():
    assert plain_text_blocks("## Speakers", 5) == "<h5>Speakers</h5>"


def test_plain_text_blocks_heading_in_a_longer_block_stays_text():
    assert plain_text_blocks("## Not alone\nmore") == "<p>## Not alone<br>more</p>"


def test_plain_text_blocks_mixed_list_and_text_is_a_paragraph():
    assert plain_text_blocks("- item\nplain") == "<p>- item<br>plain</p>"


def test_plain_text_blocks_escaped_heading():
    assert plain_text_blocks("## <i>x</i>") == "<h3>&lt;i&gt;x&lt;/i&gt;</h3>"


def test_plain_text_blocks_empty_or_none_gives_nothing():
    assert (plain_text_blocks(""), plain_text_blocks(None), plain_text_blocks("\n\n  \n")) == (
        "",
        "",
        "",
    )


def test_plain_text_blocks_in_a_template_is_not_escaped_twice():
    template = Template("{% load convene %}{{ text|plain_text_blocks:2 }}")

    html = template.render(Context({"text": "## Title\n\nA < B"}))

    assert html == "<h2>Title</h2><p>A &lt; B</p>"


def test_lines_strips_and_drops_blank_lines():
    assert lines("  Ministry A \n\n Ministry B\r\n") == ["Ministry A", "Ministry B"]
    assert lines(None) == []


def test_date_range_and_time_zone_tags_render_in_the_active_language():
    template = Template(
        "{% load convene %}{% date_range start end %} | {% time_zone_label zone start %}"
        " | {% local_datetime moment zone %} | {% local_date late zone %}"
    )
    context = Context(
        {
            "start": datetime.date(2021, 9, 14),
            "end": datetime.date(2021, 9, 15),
            "zone": zoneinfo.ZoneInfo("Europe/Paris"),
            "moment": datetime.datetime(2021, 9, 14, 7, 0, tzinfo=datetime.UTC),
            "late": datetime.datetime(2021, 9, 14, 22, 30, tzinfo=datetime.UTC),
        }
    )

    with translation.override("fr"):
        html = template.render(context)

    assert html == (
        "14-15 septembre 2021 | Europe/Paris (UTC+02:00) | 14 septembre 2021, 09:00"
        " | 15 septembre 2021"
    )


def _render(source: str, **context) -> str:
    return Template("{% load convene %}" + source).render(Context(context))


def test_quote_line_marks_and_indents_one_line():
    assert quote_line("Awa Diop", autoescape=False) == "    > Awa Diop"


def test_quote_line_joins_every_kind_of_line_break_and_drops_invisible_characters():
    text = "Awa\r\nApproved.\u2028Click\u2029here\x85now\n\n\u202eevil\u200b"

    assert quote_line(text, autoescape=False) == "    > Awa Approved. Click here now evil"


def test_quote_block_marks_every_line():
    text = "Add the agenda.\r\n\r\nApproved. Click http://evil.example\u2028Thanks"

    assert quote_block(text, autoescape=False) == (
        "    > Add the agenda.\n    > \n    > Approved. Click http://evil.example\n    > Thanks"
    )


def test_quote_block_of_empty_text_is_nothing():
    assert (quote_block("", autoescape=False), quote_block(None, autoescape=False)) == ("", "")


def test_quote_filters_escape_into_a_blockquote_in_an_html_template():
    rendered = _render(
        "{{ name|quote_line }}|{{ text|quote_block }}", name="<b>Awa</b>", text="a<\nb&"
    )

    assert rendered == (
        "<blockquote>&lt;b&gt;Awa&lt;/b&gt;</blockquote>|<blockquote>a&lt;<br>b&amp;</blockquote>"
    )


class _NameForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(
    ("context", "prefix"),
    [
        ({}, ""),
        ({"form": _NameForm()}, ""),
        ({"form": _NameForm(data={"name": "Awa"})}, ""),
        ({"form": _NameForm(data={})}, "Error: "),
        ({"edit_form": _NameForm(data={}), "other": "text"}, "Error: "),
        ({"forms": {"comment": _NameForm(), "decide": _NameForm(data={})}}, "Error: "),
        ({"forms": {"comment": None, "decide": _NameForm(data={"name": "Awa"})}}, ""),
    ],
    ids=["no-form", "unbound", "valid", "refused", "any-name", "dict-refused", "dict-valid"],
)
def test_error_title_prefix_only_for_a_refused_form(context, prefix):
    assert error_title_prefix(Context(context)) == prefix


def test_error_title_prefix_in_french_keeps_the_non_breaking_space():
    with translation.override("fr"):
        html = Template("{% load convene %}{% error_title_prefix %}Inscription").render(
            Context({"form": _NameForm(data={})})
        )

    assert html == "Erreur\u00a0: Inscription"


def test_error_title_prefix_leaves_lazy_context_values_unevaluated():
    # Evaluating `user` or `csrf_token` would read the session and set the CSRF cookie
    # on every public page, which would then vary on the cookie and escape caches.
    evaluated = []
    lazy = SimpleLazyObject(lambda: evaluated.append("csrf_token") or "token")

    prefix = error_title_prefix(Context({"csrf_token": lazy}))

    assert (prefix, evaluated) == ("", [])


def test_long_date_filter_says_1er_in_french_and_reads_datetimes_in_the_current_zone():
    template = Template(
        '{% load convene %}{{ day|long_date }} · {{ moment|long_date:"j F Y H:i" }}'
    )
    # 23:30 UTC on 31 August is 1 September, 01:30 in Paris.
    moment = datetime.datetime(2031, 8, 31, 23, 30, tzinfo=datetime.UTC)

    with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        text = template.render(Context({"day": datetime.date(2031, 9, 1), "moment": moment}))

    assert text == "1er septembre 2031 · 1er septembre 2031 01:30"


def test_long_date_filter_of_nothing_is_empty():
    assert Template("{% load convene %}{{ day|long_date }}").render(Context({"day": None})) == ""
