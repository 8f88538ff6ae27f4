"""Bulk badges in the task worker: progress saved as chunks are rendered, one PDF kept
until the meeting's next batch, the page that follows it, and who may open it."""

import io
import os

import pypdf
import pytest

from convene.onsite import admin as onsite_admin
from convene.onsite import batches, services
from convene.onsite.enums import BadgeBatchStatus
from convene.onsite.models import BadgeBatch, BadgePrint
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import CheckinRoleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def five(make_registration):
    return [
        make_registration(email=f"d{n}@example.org", reference=f"REF2031{n}", last_name=f"N{n}")
        for n in range(5)
    ]


def _references(content: bytes) -> list[str]:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return [
        line for page in pages for line in page.extract_text().splitlines() if line[:7] == "REF2031"
    ]


def _request(meeting, registrations, actor, capture, **kwargs):
    with capture(execute=True):
        batch = services.request_badge_batch(
            meeting, registrations=registrations, actor=actor, layout="a4", **kwargs
        )
    batch.refresh_from_db()
    return batch


def test_batch_is_generated_after_the_commit_into_one_pdf(
    meeting, five, secretariat_officer, django_capture_on_commit_callbacks
):
    batch = _request(meeting, five, secretariat_officer, django_capture_on_commit_callbacks)

    assert (batch.status, batch.done, batch.total, batch.error) == (BadgeBatchStatus.DONE, 5, 5, "")
    content = batch.file.read()
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 2
    assert _references(content) == [f"REF2031{n}" for n in range(5)]
    assert (batch.badge_print.badge_count, batch.badge_print.layout) == (5, "a4")


def test_batch_progress_is_saved_after_each_chunk(meeting, five, secretariat_officer, monkeypatch):
    batch = BadgeBatch.objects.create(
        meeting=meeting,
        badge_print=services.record_badge_print(
            meeting, registrations=five, actor=secretariat_officer, layout="a6"
        ),
        total=5,
    )
    seen = []
    render_parts = batches.render_badge_parts

    def render_parts_and_watch(registrations, **kwargs):
        for done, part in render_parts(registrations, **kwargs):
            seen.append(BadgeBatch.objects.values_list("status", "done").get(pk=batch.pk))
            yield done, part

    monkeypatch.setattr(batches, "render_badge_parts", render_parts_and_watch)

    batches.generate_badge_batch(batch, part_size=2)

    assert seen == [("running", 0), ("running", 2), ("running", 4)]
    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("done", 5)


def test_next_batch_deletes_the_previous_file(
    meeting, five, secretariat_officer, django_capture_on_commit_callbacks
):
    first = _request(meeting, five[:2], secretariat_officer, django_capture_on_commit_callbacks)
    first_path = first.file.path

    second = _request(
        meeting, five, secretariat_officer, django_capture_on_commit_callbacks, reason="Added three"
    )

    first.refresh_from_db()
    assert (first.file.name, second.status) == ("", BadgeBatchStatus.DONE)
    assert not os.path.exists(first_path)
    assert second.badge_print.is_reprint is True


def test_batch_fails_saying_why_when_a_registration_was_cancelled_meanwhile(
    meeting, five, secretariat_officer
):
    badge_print = services.record_badge_print(
        meeting, registrations=five, actor=secretariat_officer, layout="a6"
    )
    batch = BadgeBatch.objects.create(meeting=meeting, badge_print=badge_print, total=5)
    five[3].status = RegistrationStatus.CANCELLED
    five[3].save(update_fields=["status"])

    batches.generate_badge_batch(batch)

    batch.refresh_from_db()
    assert (batch.status, batch.error, batch.file.name) == (
        BadgeBatchStatus.FAILED,
        "This registration has been cancelled.",
        "",
    )


def test_print_page_sends_a_large_print_to_the_worker_and_follows_it(
    meeting, five, secretariat_officer, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(onsite_admin, "DIRECT_PRINT_MOST", 4)
    client.force_login(secretariat_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/admin/onsite/badgeprint/meeting/{meeting.pk}/", {"layout": "a6"}
        )

    (batch,) = BadgeBatch.objects.all()
    assert response.status_code == 302
    assert response["Location"] == f"/en/admin/onsite/badgeprint/batch/{batch.pk}/"
    page = parse(client.get(response["Location"]))
    assert page.select_one("#batch-status").text == "Ready"
    assert page.select_one("#batch-count").text == "Badges generated: 5 of 5"
    assert page.select('meta[http-equiv="refresh"]') == []
    download = client.get(page.select_one("#batch-download").attrs["href"])
    assert download["Content-Disposition"] == 'attachment; filename="badges-dakar-workshop-a6.pdf"'
    assert _references(b"".join(download.streaming_content)) == [f"REF2031{n}" for n in range(5)]


def test_batch_page_refreshes_itself_while_waiting(meeting, five, secretariat_officer, client):
    badge_print = services.record_badge_print(
        meeting, registrations=five, actor=secretariat_officer, layout="a6"
    )
    batch = BadgeBatch.objects.create(meeting=meeting, badge_print=badge_print, total=5)
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/fr/admin/onsite/badgeprint/batch/{batch.pk}/"))

    assert page.select_one('meta[http-equiv="refresh"]').attrs["content"] == "3"
    assert page.select_one("#batch-status").text == "En attente du traitement"
    assert page.select_one("#batch-count").text == "Badges générés : 0 sur 5"
    assert page.select("#batch-download") == []


def test_replaced_batch_file_is_not_found(
    meeting, five, secretariat_officer, client, django_capture_on_commit_callbacks
):
    first = _request(meeting, five[:2], secretariat_officer, django_capture_on_commit_callbacks)
    _request(meeting, five, secretariat_officer, django_capture_on_commit_callbacks, reason="More")
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/en/admin/onsite/badgeprint/batch/{first.pk}/"))

    assert page.select_one("#batch-replaced").text == (
        "This file is no longer kept: a later batch replaced it."
    )
    assert client.get(f"/en/admin/onsite/badgeprint/batch/{first.pk}/download/").status_code == 404


def test_checkin_staff_may_not_open_a_batch(
    meeting, five, secretariat_officer, client, django_capture_on_commit_callbacks
):
    batch = _request(meeting, five, secretariat_officer, django_capture_on_commit_callbacks)
    client.force_login(CheckinRoleFactory(meeting=meeting, user__email="door@example.org").user)

    assert client.get(f"/en/admin/onsite/badgeprint/batch/{batch.pk}/").status_code == 403
    assert client.get(f"/en/admin/onsite/badgeprint/batch/{batch.pk}/download/").status_code == 403
    assert BadgePrint.objects.count() == 1
