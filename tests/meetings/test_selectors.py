import datetime

import pytest

from convene.meetings.selectors import (
    alignment,
    meeting_for_page,
    meetings_visible_to,
    programme_by_day,
    public_meetings,
)
from tests.factories.dialogues import DomainFactory, ObjectiveFactory
from tests.factories.meetings import MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2031, 5, 10)


def _on(start, end, **fields):
    return MeetingFactory(
        starts_on=TODAY + datetime.timedelta(start),
        ends_on=TODAY + datetime.timedelta(end),
        **fields,
    )


def test_public_meetings_split_on_the_given_day(reference_data):
    yesterday = _on(-3, -1, dialogue=reference_data, published=True)
    today = _on(-1, 0, dialogue=reference_data, published=True)
    soon = _on(5, 6, dialogue=reference_data, published=True)
    later = _on(30, 31, dialogue=reference_data, published=True)
    long_ago = _on(-400, -399, dialogue=reference_data, published=True)
    _on(1, 2, dialogue=reference_data)

    upcoming, past = public_meetings(reference_data, today=TODAY)

    assert [m.pk for m in upcoming] == [today.pk, soon.pk, later.pk]
    assert [m.pk for m in past] == [yesterday.pk, long_ago.pk]


def test_public_meetings_only_of_the_given_dialogue(reference_data):
    from convene.dialogues.models import Dialogue

    other = Dialogue.objects.create(slug="other", name_en="Other", name_fr="Autre")
    _on(1, 2, dialogue=other, published=True)

    assert public_meetings(reference_data, today=TODAY) == ([], [])


def test_meeting_for_page_unknown_slug_gives_none(db):
    assert meeting_for_page("nowhere") is None


def test_programme_by_day_groups_in_time_order(db):
    meeting = MeetingFactory(starts_on=TODAY, ends_on=TODAY + datetime.timedelta(1))
    afternoon = SessionFactory(meeting=meeting, start_time=datetime.time(14),
                               end_time=datetime.time(15))  # fmt: skip
    second_day = SessionFactory(meeting=meeting, day=TODAY + datetime.timedelta(1))
    morning = SessionFactory(meeting=meeting)

    programme = programme_by_day(meeting_for_page(meeting.slug))

    assert [(day, [s.pk for s in sessions]) for day, sessions in programme] == [
        (TODAY, [morning.pk, afternoon.pk]),
        (TODAY + datetime.timedelta(1), [second_day.pk]),
    ]


def test_alignment_groups_objectives_under_domains_newest_plan_first(db):
    old_domain = DomainFactory(action_plan__start_year=2018, action_plan__end_year=2022, number=2)
    new_domain = DomainFactory(action_plan__start_year=2023, action_plan__end_year=2027, number=4)
    objective_b = ObjectiveFactory(domain=new_domain, number="5b", position=2)
    objective_a = ObjectiveFactory(domain=new_domain, number="5a", position=1)
    meeting = MeetingFactory()
    meeting.domains.add(old_domain)
    meeting.objectives.add(objective_b, objective_a)

    result = alignment(meeting_for_page(meeting.slug))

    assert [(d.pk, [o.pk for o in objectives]) for d, objectives in result] == [
        (new_domain.pk, [objective_a.pk, objective_b.pk]),
        (old_domain.pk, []),
    ]


def test_meetings_visible_to_each_persona(
    secretariat_officer, focal_point_france, organiser, checkin_staff, outsider,
    organised_meeting, reference_data,
):  # fmt: skip
    published = MeetingFactory(dialogue=reference_data, published=True)
    other_draft = MeetingFactory(dialogue=reference_data)

    def visible(user):
        return set(meetings_visible_to(user).values_list("pk", flat=True))

    assert visible(secretariat_officer) == {organised_meeting.pk, published.pk, other_draft.pk}
    assert visible(focal_point_france) == {published.pk}
    assert visible(organiser) == {organised_meeting.pk}
    assert visible(checkin_staff) == {organised_meeting.pk}
    assert visible(outsider) == set()
