"""Good-practice attachments: downloaded by those allowed to read them, 404 for others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from convene.core.models import User
from tests.factories.meetings import MeetingFactory
from tests.factories.practices import GoodPracticeFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _fresh(user):
    """The user as a new request loads it: roles are cached per user object."""
    return User.objects.get(pk=user.pk)


def _url(practice, language="en"):
    return f"/{language}/good-practices/{practice.pk}/attachment/"


@pytest.fixture
def meeting(reference_data):
    return MeetingFactory(dialogue=reference_data, published=True, slug="rabat-2030")


@pytest.fixture
def make_practice(meeting, reference_data, settings, tmp_path):
    """A practice of France with a PDF attachment stored under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path

    def make(**fields):
        values = {
            "meeting": meeting,
            "partner": reference_data.partners.get(code="FR"),
            "domain": reference_data.action_plans.get(code="CAP").domains.get(number=5),
            "attachment": SimpleUploadedFile("practice.pdf", PDF),
        }
        values.update(fields)
        return GoodPracticeFactory(**values)

    return make


@pytest.fixture
def submitted(make_practice):
    return make_practice()


@pytest.fixture
def published(make_practice):
    return make_practice(published=True)


# --- the download view ---


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat_officer", 200),
        ("focal_point_france", 200),
        ("focal_point_senegal", 404),
        ("outsider", 404),
        (None, 404),
    ],
)
def test_submitted_practice_attachment_downloads_for_its_side_only(
    request, client, submitted, persona, status
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(submitted))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == (
            f'attachment; filename="good-practice-{submitted.pk}.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"


def test_published_practice_attachment_downloads_for_anyone(client, published):
    response = client.get(_url(published, "fr"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        f'attachment; filename="good-practice-{published.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_practice_without_attachment_answers_404(client, make_practice, secretariat_officer):
    practice = make_practice(attachment=None, published=True)
    client.force_login(secretariat_officer)

    assert client.get(_url(practice)).status_code == 404


def test_practice_attachment_missing_from_the_disk_answers_404(client, published, tmp_path):
    (tmp_path / published.attachment.name).unlink()

    assert client.get(_url(published)).status_code == 404


def test_unknown_practice_attachment_answers_404(client, db):
    assert client.get("/en/good-practices/999999/attachment/").status_code == 404


def test_post_to_the_attachment_is_refused(client, published):
    assert client.post(_url(published)).status_code == 405


# --- where it is linked ---


def test_admin_links_to_the_download(client, submitted, secretariat_officer):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/en/admin/practices/goodpractice/{submitted.pk}/change/"))
    link = page.select_one(".field-attachment_link a")

    assert link.attrs["href"] == _url(submitted)
    assert link.text == "Download"
    assert client.get(link.attrs["href"]).status_code == 200


@pytest.mark.parametrize(("language", "label"), [("en", "Download"), ("fr", "Télécharger")])
def test_published_practice_page_links_to_the_download(client, published, language, label):
    page = parse(client.get(f"/{language}/good-practices/{published.pk}/"))
    link = page.select_one(".practice-attachment a")

    assert link.attrs["href"] == _url(published, language)
    assert link.text == label
