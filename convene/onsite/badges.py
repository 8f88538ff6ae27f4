"""Badges: one A6 card per person, or A4 sheets of four with crop marks, as one PDF.

A badge shows the name as the passport has it, the delegation, the function, the role in
the delegation, the category as a word on a colour band (never the colour alone), the
meeting's title and the QR code of the confirmation (tokens.py). Only an approved
registration gets one: the same rule as the confirmation and the door.

Each badge is in its delegate's language (registration.language), as the confirmation
and the emails are: the badge is the delegate's paper, and what the door reads on it
(name, colour, QR) is the same in both languages. A sheet may thus mix languages.
"""

import gc
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from convene.core.enums import Role
from convene.core.models import RoleAssignment
from convene.meetings.enums import Category
from convene.registrations.models import Registration

from .confirmation import confirmation_qr, pdf_url_fetcher, vendored_fonts
from .enums import BadgeCategory, BadgeLayout
from .tokens import check_confirmation

# The one place that says which badge a registration gets.
#
# A registration names whom its person represents (meetings.enums.Category); the badge
# adds who works the meeting, which the registration does not record but the accounts
# do: a registration whose email is that of an account holding a current Secretariat
# role is "Secretariat", an organiser role for the meeting "Organiser", a check-in role
# for the meeting "Staff" (in that order when one person holds several).
# Invited participants (local authorities, civil society, research) take part without
# status, as observers do at UN meetings: their badge says "Observer".
# "Press" has no source yet: no registration records a journalist; the band exists so
# that the day one does, the badge needs no redesign.
CATEGORY_BADGES = {
    Category.PARTNER_COUNTRY: BadgeCategory.DELEGATION,
    Category.PARTNER_ORGANISATION: BadgeCategory.DELEGATION,
    Category.OBSERVER: BadgeCategory.OBSERVER,
    Category.LOCAL_AUTHORITY: BadgeCategory.OBSERVER,
    Category.CIVIL_SOCIETY: BadgeCategory.OBSERVER,
    Category.RESEARCH: BadgeCategory.OBSERVER,
    Category.PRESS: BadgeCategory.PRESS,
}
ROLE_BADGES = {  # strongest first
    Role.SECRETARIAT: BadgeCategory.SECRETARIAT,
    Role.ORGANISER: BadgeCategory.ORGANISER,
    Role.CHECKIN: BadgeCategory.STAFF,
}
# Band colour and the colour of the word on it; each pair reads at a contrast of 4.5:1
# or more, and no two bands are told apart by hue alone (blue, green, red, purple,
# yellow, grey differ in lightness too).
BAND_COLOURS = {
    BadgeCategory.DELEGATION: ("#1f4e9c", "#ffffff"),
    BadgeCategory.OBSERVER: ("#2e7d32", "#ffffff"),
    BadgeCategory.ORGANISER: ("#b71c1c", "#ffffff"),
    BadgeCategory.SECRETARIAT: ("#5e2a84", "#ffffff"),
    BadgeCategory.PRESS: ("#f6c026", "#1a1a1a"),
    BadgeCategory.STAFF: ("#424242", "#ffffff"),
}
# Font size of the name by its length in characters, for a 85 mm wide line on two lines
# at most: Noto Sans averages about 0.55 em a character. Longer names still wrap
# (overflow-wrap: anywhere) rather than being cut: nothing on the badge hides overflow.
NAME_SIZES = ((18, 24), (28, 20), (40, 16), (56, 13))
SMALLEST_NAME_SIZE = 11
# Badges laid out in one WeasyPrint document: a print of more is made of such parts, each
# written to its own PDF and the PDFs joined page by page. WeasyPrint keeps every page's
# boxes until the whole document is written (500 badges in one document peaked above
# 300 MB), and the garbage collector walks them all again and again; a part bounds both.
# A multiple of four, so that every A4 sheet but the last is full.
BADGES_PER_PART = 40


def name_size(name: str) -> int:
    """The name's font size in points: the longer the name, the smaller."""
    length = len(name)
    for longest, size in NAME_SIZES:
        if length <= longest:
            return size
    return SMALLEST_NAME_SIZE


def staff_badges(registrations: Sequence[Registration]) -> dict[int, BadgeCategory]:
    """{registration id: Secretariat, Organiser or Staff} for those whose email is an
    active account's with such a role now (for the registration's meeting, but for the
    Secretariat); one query."""
    emails = {registration.email.lower() for registration in registrations}
    if not emails:
        return {}
    held: dict[str, set[tuple[str, int | None]]] = {}
    for email, role, meeting_id in (
        RoleAssignment.objects.current()
        .filter(user__is_active=True, role__in=list(ROLE_BADGES))
        .annotate(email=Lower("user__email"))
        .filter(email__in=emails)
        .values_list("email", "role", "meeting_id")
    ):
        held.setdefault(email, set()).add((role, meeting_id))
    badges = {}
    for registration in registrations:
        roles = held.get(registration.email.lower(), set())
        for role, badge in ROLE_BADGES.items():
            scope = None if role == Role.SECRETARIAT else registration.meeting_id
            if (role, scope) in roles:
                badges[registration.pk] = badge
                break
    return badges


def badge_category(registration: Registration, staff: dict[int, BadgeCategory]) -> BadgeCategory:
    return staff.get(registration.pk) or CATEGORY_BADGES[registration.category]


def _badge_context(registration: Registration, category: BadgeCategory) -> dict:
    band, ink = BAND_COLOURS[category]
    return {
        "registration": registration,
        "meeting_title": registration.meeting.title,
        "dialogue": registration.meeting.dialogue.name,
        "name": registration.full_name,
        "name_size": name_size(registration.full_name),
        "delegation": registration.delegation.name if registration.delegation_id else "",
        "institution": registration.institution,
        "role": registration.get_role_display() if registration.delegation_id else "",
        "category": category,
        "category_label": category.label,
        "band": band,
        "ink": ink,
        "qr": confirmation_qr(registration).svg_data_uri(scale=1, border=2),
        "language": translation.get_language(),
    }


def render_badges(
    registrations: Iterable[Registration],
    *,
    layout: str = BadgeLayout.A6,
    language: str | None = None,
    part_size: int = BADGES_PER_PART,
) -> bytes:
    """One PDF of the registrations' badges, in their order: a page each (A6) or four to
    an A4 sheet. Each badge is in its delegate's language unless `language` is given.
    Laid out `part_size` badges at a time (see BADGES_PER_PART).

    Raises TokenRefused (tokens.check_confirmation) if any registration is not approved,
    ValueError for an unknown layout, an empty list or a part size that would split an A4
    sheet."""
    parts = [
        pdf
        for _done, pdf in render_badge_parts(
            registrations, layout=layout, language=language, part_size=part_size
        )
    ]
    return parts[0] if len(parts) == 1 else join_pdfs(parts)


def render_badge_parts(
    registrations: Iterable[Registration],
    *,
    layout: str = BadgeLayout.A6,
    language: str | None = None,
    part_size: int = BADGES_PER_PART,
) -> Iterator[tuple[int, bytes]]:
    """(badges rendered so far, PDF of the next part) for each part of `part_size`
    badges, in order: render_badges joins them, the task worker (batches.py) saves its
    progress after each. Every registration is checked before the first part, so that a
    refusal comes before any work; raises as render_badges does."""
    layout = BadgeLayout(layout)
    registrations = list(registrations)
    if not registrations:
        raise ValueError("No registrations to print badges for.")
    per_page = 4 if layout == BadgeLayout.A4 else 1
    if part_size < 1 or part_size % per_page:
        raise ValueError("A part holds whole pages of badges.")
    for registration in registrations:
        check_confirmation(registration)
    staff = staff_badges(registrations)
    document_language = language or registrations[0].language
    fetcher = pdf_url_fetcher()
    # Fonts and stylesheet read once for all the parts.
    font_config = FontConfiguration()
    stylesheet = CSS(
        string=render_to_string(
            "onsite/badges.css", {"layout": layout.value, "fonts": vendored_fonts()}
        ),
        font_config=font_config,
        url_fetcher=fetcher,
    )
    for start in range(0, len(registrations), part_size):
        part = registrations[start : start + part_size]
        pages = _badge_pages(part, staff, per_page=per_page, language=language)
        with translation.override(document_language):
            document = render_to_string(
                "onsite/badges.html",
                {"layout": layout.value, "pages": pages, "LANGUAGE_CODE": document_language},
            )
        with _collector_paused():
            pdf = HTML(string=document, url_fetcher=fetcher).write_pdf(
                stylesheets=[stylesheet], font_config=font_config
            )
        yield start + len(part), pdf


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, as it was after. WeasyPrint
    builds a part's hundreds of thousands of boxes, which all live until the part is
    written: each full collection walks them all and frees next to nothing (for 500
    badges, 25 s of CPU with the collector, 20 s without). The part bounds what waits
    to be collected; reference counting still frees the rest as it goes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _badge_pages(
    registrations: Sequence[Registration],
    staff: dict[int, BadgeCategory],
    *,
    per_page: int,
    language: str | None,
) -> list[list[str]]:
    """The badges' HTML, grouped by page."""
    badges = []
    for registration in registrations:
        # Each badge rendered on its own, so that its words are in its own language.
        with translation.override(language or registration.language):
            context = _badge_context(registration, badge_category(registration, staff))
            badges.append(render_to_string("onsite/_badge.html", context))
    return [badges[start : start + per_page] for start in range(0, len(badges), per_page)]


def join_pdfs(parts: Iterable[bytes]) -> bytes:
    """One PDF of the parts' pages, in order, with the first part's title and language."""
    writer = PdfWriter()
    for index, part in enumerate(parts):
        reader = PdfReader(io.BytesIO(part))
        if index == 0:
            writer.add_metadata(reader.metadata or {})
            if "/Lang" in reader.root_object:
                writer.root_object[NameObject("/Lang")] = TextStringObject(
                    reader.root_object["/Lang"]
                )
        writer.append(reader)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def badges_filename(meeting, layout: str) -> str:
    return f"badges-{meeting.slug}-{layout}.pdf"


def badge_filename(registration: Registration) -> str:
    return f"badge-{registration.reference}.pdf"
