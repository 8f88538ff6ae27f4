"""The public meeting page is served from a short-lived cache, retired by any change."""

import datetime

import pytest
from django.utils import timezone

from convene.meetings import page_cache
from convene.meetings.models import Meeting
from tests.factories.meetings import MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(reference_data):
    return MeetingFactory(dialogue=reference_data, published=True, title_en="Cached title")


def test_second_visit_is_served_without_queries(client, meeting, django_assert_num_queries):
    first = client.get(f"/en/meetings/{meeting.slug}/")

    with django_assert_num_queries(0):
        second = client.get(f"/en/meetings/{meeting.slug}/")

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_each_language_has_its_own_page(client, meeting):
    client.get(f"/en/meetings/{meeting.slug}/")

    french = client.get(f"/fr/meetings/{meeting.slug}/")

    assert french.content.decode().startswith('<!DOCTYPE html>\n<html lang="fr">')


def test_saving_the_meeting_retires_its_page(client, meeting):
    client.get(f"/en/meetings/{meeting.slug}/")

    meeting.title_en = "New title"
    meeting.save()

    assert "New title" in client.get(f"/en/meetings/{meeting.slug}/").content.decode()


def test_a_new_session_retires_the_page(client, meeting):
    client.get(f"/en/meetings/{meeting.slug}/")

    SessionFactory(meeting=meeting, title_en="Late addition")

    assert "Late addition" in client.get(f"/en/meetings/{meeting.slug}/").content.decode()


def test_unpublishing_takes_the_page_down(client, meeting):
    client.get(f"/en/meetings/{meeting.slug}/")

    meeting.status = "draft"
    meeting.save()

    assert client.get(f"/en/meetings/{meeting.slug}/").status_code == 404


def test_draft_previews_are_never_cached(client, reference_data, secretariat_officer):
    draft = MeetingFactory(dialogue=reference_data)
    client.force_login(secretariat_officer)
    assert client.get(f"/en/meetings/{draft.slug}/").status_code == 200
    client.logout()

    assert client.get(f"/en/meetings/{draft.slug}/").status_code == 404


def test_requests_with_a_query_string_are_not_cached(client, meeting):
    client.get(f"/en/meetings/{meeting.slug}/?from=newsletter")
    Meeting.objects.filter(pk=meeting.pk).update(title_en="Changed without signals")

    page = client.get(f"/en/meetings/{meeting.slug}/?from=newsletter")

    assert "Changed without signals" in page.content.decode()


def test_the_page_is_not_kept_past_the_closing_of_registration(meeting, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    now = timezone.now()
    meeting.registration_closes_at = now + datetime.timedelta(seconds=10)

    assert page_cache.timeout_for(meeting, now) == 10


def test_the_cache_can_be_turned_off(client, meeting, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(f"/en/meetings/{meeting.slug}/")
    Meeting.objects.filter(pk=meeting.pk).update(title_en="Changed without signals")

    assert "Changed without signals" in client.get(f"/en/meetings/{meeting.slug}/").content.decode()


def test_a_signed_in_visit_is_not_kept_for_others(client, meeting, secretariat_officer):
    client.force_login(secretariat_officer)
    client.get(f"/en/meetings/{meeting.slug}/")
    client.logout()
    Meeting.objects.filter(pk=meeting.pk).update(title_en="Changed without signals")

    page = client.get(f"/en/meetings/{meeting.slug}/")

    assert "Changed without signals" in page.content.decode()


def test_a_signed_in_visit_is_not_served_from_the_cache(client, meeting, secretariat_officer):
    client.get(f"/en/meetings/{meeting.slug}/")
    Meeting.objects.filter(pk=meeting.pk).update(title_en="Changed without signals")
    client.force_login(secretariat_officer)

    page = client.get(f"/en/meetings/{meeting.slug}/")

    assert "Changed without signals" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
