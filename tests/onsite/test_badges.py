"""Badges: their text in the delegate's language, the category band, long and Arabic
names looked at on the rendered page, the A6 and A4 layouts, and who gets one."""

import gc
import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.meetings.enums import INVITED_CATEGORIES, Category
from convene.onsite import badges
from convene.onsite.badges import (
    badge_category,
    badge_filename,
    badges_filename,
    name_size,
    render_badge_parts,
    render_badges,
    staff_badges,
)
from convene.onsite.enums import BadgeCategory
from convene.onsite.tokens import TokenRefused, read_confirmation_token
from convene.registrations.enums import DelegationRole, RegistrationStatus
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory, SecretariatRoleFactory

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points in a millimetre
LONG_NAME = ("Maria Fernanda Alejandra Guadalupe", "de los Santos Villanueva Ortega")
ARABIC_NAME = ("محمد الأمين", "عبد الرحمن")


def pdf_pages(content: bytes) -> list[list[str]]:
    """Each page's text, line by line."""
    return [
        [line.strip() for line in page.extract_text().splitlines()]
        for page in pypdf.PdfReader(io.BytesIO(content)).pages
    ]


def page_sizes_mm(content: bytes) -> list[tuple[int, int]]:
    return [
        (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM))
        for page in pypdf.PdfReader(io.BytesIO(content)).pages
    ]


def rendered_page(content: bytes, index: int = 0):
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 (the test extra) renders PDFs")
    return pdfium.PdfDocument(content)[index]


AWA_EN = [
    "RABAT PROCESS",
    "Dakar workshop",
    "Awa Ndiaye",
    "Director of migration",
    "Senegal",
    "Head of delegation",
    "AWA2031X",
    "DELEGATION",
]
AWA_FR = [
    "PROCESSUS DE RABAT",
    "Atelier de Dakar",
    "Awa Ndiaye",
    "Director of migration",
    "Sénégal",
    "Chef de délégation",
    "AWA2031X",
    "DÉLÉGATION",
]


@pytest.mark.parametrize(("language", "lines"), [("en", AWA_EN), ("fr", AWA_FR)])
def test_badge_is_one_a6_page_in_the_delegates_language(make_registration, language, lines):
    registration = make_registration(
        language=language, function="Director of migration", role=DelegationRole.HEAD
    )

    content = render_badges([registration])

    assert pdf_pages(content) == [lines]
    assert page_sizes_mm(content) == [(105, 148)]


def test_badges_language_given_overrides_the_delegates(make_registration):
    registration = make_registration(
        language="en", function="Director of migration", role=DelegationRole.HEAD
    )

    assert pdf_pages(render_badges([registration], language="fr")) == [AWA_FR]


def test_badges_of_several_delegates_are_each_in_their_own_language(make_registration):
    english = make_registration(language="en", role=DelegationRole.HEAD)
    french = make_registration(
        language="fr", email="ines@example.org", reference="INES2031", first_name="Inès"
    )

    pages = pdf_pages(render_badges([english, french]))

    assert [(page[0], page[1], page[4], page[-1]) for page in pages] == [
        ("RABAT PROCESS", "Dakar workshop", "Senegal", "DELEGATION"),
        ("PROCESSUS DE RABAT", "Atelier de Dakar", "Sénégal", "DÉLÉGATION"),
    ]


def test_badge_of_an_invited_participant_names_the_institution_and_no_role(make_registration):
    registration = make_registration(
        category=Category.CIVIL_SOCIETY,
        delegation=None,
        institution="Forum des diasporas",
        function="Coordinator",
    )

    assert pdf_pages(render_badges([registration])) == [
        [
            "RABAT PROCESS",
            "Dakar workshop",
            "Awa Ndiaye",
            "Coordinator",
            "Forum des diasporas",
            "AWA2031X",
            "OBSERVER",
        ]
    ]


def test_badge_qr_code_reads_back_as_its_registration(approved, meeting):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (the test extra) reads QR codes")
    image = rendered_page(render_badges([approved])).render(scale=150 / 72).to_pil()

    (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)

    assert read_confirmation_token(barcode.text, meeting=meeting) == approved


def test_a_60_character_name_is_printed_whole_inside_the_badge(make_registration):
    registration = make_registration(first_name=LONG_NAME[0], last_name=LONG_NAME[1])
    assert len(registration.full_name) == 66

    content = render_badges([registration])

    (lines,) = pdf_pages(content)
    # Wrapped on two lines, every character there.
    assert " ".join(lines[2:4]) == registration.full_name
    # Looked at: every character of the name is drawn inside the card's 7 mm margins.
    page = rendered_page(content)
    text = page.get_textpage()
    width, _height = page.get_size()
    name_start = text.get_text_range().index("Maria")
    boxes = [text.get_charbox(name_start + n) for n in range(len(registration.full_name))]
    assert min(left for left, _b, _r, _t in boxes) >= 7 * MM - 0.5
    assert max(right for _l, _b, right, _t in boxes) <= width - 7 * MM + 0.5


def test_an_arabic_name_is_set_right_to_left_with_the_arabic_font(make_registration):
    registration = make_registration(first_name=ARABIC_NAME[0], last_name=ARABIC_NAME[1])

    content = render_badges([registration])

    (lines,) = pdf_pages(content)
    assert lines[2] == "محمد الأمين عبد الرحمن"
    fonts = pypdf.PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"]
    assert "Convene-Arabic-Bold" in {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1] for font in fonts.values()
    }
    # Looked at: the first name's first word stands at the right of the line, as read
    # right to left (left to right would put it at the left).
    page = rendered_page(content)
    text = page.get_textpage()
    width, _height = page.get_size()
    search = text.search("محمد")
    start, count = search.get_next()
    lefts = [text.get_charbox(start + n)[0] for n in range(count)]
    assert min(lefts) > width / 2


def test_name_size_shrinks_with_the_names_length():
    assert [name_size("x" * length) for length in (10, 18, 19, 28, 40, 56, 57, 200)] == [
        24,
        24,
        20,
        20,
        16,
        13,
        11,
        11,
    ]


def test_a4_sheets_hold_four_badges_a_page(make_registration):
    registrations = [
        make_registration(email=f"d{n}@example.org", reference=f"REF2031{n}", first_name=f"N{n}")
        for n in range(5)
    ]

    content = render_badges(registrations, layout="a4")

    assert page_sizes_mm(content) == [(210, 297), (210, 297)]
    references = [[line for line in page if line.startswith("REF")] for page in pdf_pages(content)]
    assert references == [["REF20310", "REF20311", "REF20312", "REF20313"], ["REF20314"]]


def test_a4_sheet_has_crop_marks_outside_each_card(approved):
    content = render_badges([approved], layout="a4")

    # The first card is cut at 6 mm from the left and 9.5 mm from the top: the marks
    # stand in the margin, and the card's inside holds none.
    image = rendered_page(content).render(scale=8).to_pil().convert("L")
    px = 8 * MM  # pixels in a millimetre

    def dark(x_mm, y_mm):
        """Anything drawn within half a millimetre of the point (the marks are hairlines)."""
        x, y, reach = round(x_mm * px), round(y_mm * px), round(px / 2)
        return image.crop((x - reach, y - reach, x + reach, y + reach)).getextrema()[0] < 200

    assert dark(6, 7.5)  # vertical mark above the top-left corner
    assert dark(4, 9.5)  # horizontal mark left of it
    assert not dark(6, 9.5 + 2)  # no line drawn into the card
    assert not dark(3, 3)  # nothing in the sheet's corner


def test_badges_rendered_in_parts_keep_every_page_in_order(make_registration):
    french = make_registration(language="fr", function="Director of migration")
    others = [
        make_registration(email=f"d{n}@example.org", reference=f"REF2031{n}", first_name=f"N{n}")
        for n in range(3)
    ]
    last = make_registration(
        email="last@example.org",
        reference="LAST2031",
        first_name=ARABIC_NAME[0],
        last_name=ARABIC_NAME[1],
        function="Director of migration",
        role=DelegationRole.HEAD,
    )
    registrations = [french, *others, last]

    content = render_badges(registrations, part_size=2)

    pages = pdf_pages(content)
    assert len(pages) == 5
    assert pages[0] == [
        "PROCESSUS DE RABAT",
        "Atelier de Dakar",
        "Awa Ndiaye",
        "Director of migration",
        "Sénégal",
        "Membre",
        "AWA2031X",
        "DÉLÉGATION",
    ]
    assert pages[-1] == [
        "RABAT PROCESS",
        "Dakar workshop",
        "محمد الأمين عبد الرحمن",
        "Director of migration",
        "Senegal",
        "Head of delegation",
        "LAST2031",
        "DELEGATION",
    ]
    # The same pages as one part gives, with the document's title and language.
    assert pages == pdf_pages(render_badges(registrations, part_size=40))
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert (reader.metadata.title, reader.root_object["/Lang"]) == ("Badges", "fr")


def test_badge_parts_lay_out_at_most_the_part_size_each(make_registration):
    registrations = [
        make_registration(email=f"d{n}@example.org", reference=f"REF2031{n}", first_name=f"N{n}")
        for n in range(9)
    ]

    parts = list(render_badge_parts(registrations, layout="a4", part_size=4))

    # Each part is a document of its own: WeasyPrint never holds more than four badges.
    assert [(done, page_sizes_mm(part)) for done, part in parts] == [
        (4, [(210, 297)]),
        (8, [(210, 297)]),
        (9, [(210, 297)]),
    ]
    joined = render_badges(registrations, layout="a4", part_size=4)
    references = [[line for line in page if line.startswith("REF")] for page in pdf_pages(joined)]
    assert references == [
        ["REF20310", "REF20311", "REF20312", "REF20313"],
        ["REF20314", "REF20315", "REF20316", "REF20317"],
        ["REF20318"],
    ]


@pytest.mark.parametrize(("layout", "part_size"), [("a4", 6), ("a4", 0), ("a6", 0)])
def test_badge_part_that_would_split_a_sheet_is_refused(approved, layout, part_size):
    with pytest.raises(ValueError) as refusal:
        render_badges([approved], layout=layout, part_size=part_size)

    assert str(refusal.value) == "A part holds whole pages of badges."


def test_badge_parts_check_every_registration_before_rendering_any(approved, make_registration):
    refused = make_registration(
        status=RegistrationStatus.CANCELLED, email="x@example.org", reference="REFUSED1"
    )

    parts = render_badge_parts([approved, refused], part_size=1)

    with pytest.raises(TokenRefused):
        next(parts)


def test_collector_paused_while_weasyprint_renders_a_part_and_on_after(approved, monkeypatch):
    seen = []
    write = badges.HTML.write_pdf

    def write_and_watch(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write(self, *args, **kwargs)

    monkeypatch.setattr(badges.HTML, "write_pdf", write_and_watch)

    render_badges([approved, approved], part_size=1)

    assert (seen, gc.isenabled()) == ([False, False], True)


def test_collector_on_again_when_weasyprint_fails(approved, monkeypatch):
    def fail(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(badges.HTML, "write_pdf", fail)

    with pytest.raises(OSError):
        render_badges([approved])

    assert gc.isenabled() is True


def test_collector_left_off_when_it_was_off(approved):
    gc.disable()
    try:
        render_badges([approved])
        assert gc.isenabled() is False
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.AWAITING_SECRETARIAT,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REJECTED,
    ],
)
def test_no_badge_for_a_registration_not_approved(approved, make_registration, status):
    refused = make_registration(status=status, email="x@example.org", reference="REFUSED1")

    with pytest.raises(TokenRefused):
        render_badges([approved, refused])


def test_no_badges_without_registrations():
    with pytest.raises(ValueError):
        render_badges([])


def test_unknown_layout_is_refused(approved):
    with pytest.raises(ValueError):
        render_badges([approved], layout="a3")


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (Category.PARTNER_COUNTRY, BadgeCategory.DELEGATION),
        (Category.PARTNER_ORGANISATION, BadgeCategory.DELEGATION),
        (Category.OBSERVER, BadgeCategory.OBSERVER),
        (Category.LOCAL_AUTHORITY, BadgeCategory.OBSERVER),
        (Category.CIVIL_SOCIETY, BadgeCategory.OBSERVER),
        (Category.RESEARCH, BadgeCategory.OBSERVER),
        (Category.PRESS, BadgeCategory.PRESS),
    ],
)
def test_badge_category_follows_whom_the_delegate_represents(make_registration, category, expected):
    invited = category in INVITED_CATEGORIES
    registration = make_registration(category=category, **({"delegation": None} if invited else {}))

    assert badge_category(registration, staff_badges([registration])) == expected


def test_staff_badges_come_from_the_roles_of_the_registrations_email(meeting, make_registration):
    secretariat = make_registration(email="Officer@Secretariat.example.org", reference="SEC00001")
    SecretariatRoleFactory(user__email="officer@secretariat.example.org")
    organiser = make_registration(email="org@example.org", reference="ORG00001")
    OrganiserRoleFactory(meeting=meeting, user__email="org@example.org")
    # Organiser of another meeting and check-in staff of this one: Staff here.
    staff = make_registration(email="staff@example.org", reference="STA00001")
    staff_account = OrganiserRoleFactory(user__email="staff@example.org").user
    CheckinRoleFactory(meeting=meeting, user=staff_account)
    other_organiser = make_registration(email="elsewhere@example.org", reference="ELS00001")
    OrganiserRoleFactory(user__email="elsewhere@example.org")
    delegate = make_registration(email="delegate@example.org", reference="DEL00001")
    registrations = [secretariat, organiser, staff, other_organiser, delegate]

    with CaptureQueriesContext(connection) as queries:
        staff_roles = staff_badges(registrations)

    assert len(queries) == 1
    assert {r.reference: badge_category(r, staff_roles) for r in registrations} == {
        "SEC00001": BadgeCategory.SECRETARIAT,
        "ORG00001": BadgeCategory.ORGANISER,
        "STA00001": BadgeCategory.STAFF,
        "ELS00001": BadgeCategory.DELEGATION,
        "DEL00001": BadgeCategory.DELEGATION,
    }


def test_staff_badge_not_given_for_an_inactive_account(make_registration):
    registration = make_registration(email="gone@example.org")
    SecretariatRoleFactory(user__email="gone@example.org", user__is_active=False)

    assert staff_badges([registration]) == {}


def test_secretariat_badge_says_its_category_in_words(make_registration):
    registration = make_registration(email="officer@secretariat.example.org", language="fr")
    SecretariatRoleFactory(user__email="officer@secretariat.example.org")

    (lines,) = pdf_pages(render_badges([registration]))

    assert lines[-1] == "SECRÉTARIAT"


def test_badge_filenames_name_the_meeting_or_the_reference(approved, meeting):
    assert badges_filename(meeting, "a4") == "badges-dakar-workshop-a4.pdf"
    assert badge_filename(approved) == "badge-AWA2031X.pdf"
