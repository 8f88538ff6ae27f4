"""GoodPractice left the labels app without losing a row, a file, a permission or an
audit entry: a database at labels 0004 (before the split) migrates forward to the same
practices."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from convene.core.models import AuditEntry
from convene.practices.models import GoodPractice
from tests.factories.dialogues import DomainFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.practices import GoodPracticeFactory

BEFORE_THE_SPLIT = [("labels", "0004_outbox_retries"), ("practices", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The state of the apps at those migrations (a None target names none).
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_split(transactional_db):
    """The database as it was before the split; migrated to the latest state afterwards,
    whatever the test did, so that the next test finds the current schema."""
    yield
    _migrate(_latest())


def test_good_practices_and_their_permissions_survive_the_move_to_practices(
    reference_data, before_the_split
):
    meeting = MeetingFactory(dialogue=reference_data, published=True)
    domain = DomainFactory(action_plan=reference_data.action_plans.get(code="CAP"), number=9)
    france = reference_data.partners.get(code="FR")
    published = GoodPracticeFactory(meeting=meeting, partner=france, domain=domain, published=True)
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(GoodPractice),
        object_id=str(published.pk),
        action="practice.status",
        to_state="published",
    )
    old_apps = _migrate(BEFORE_THE_SPLIT)
    OldPractice = old_apps.get_model("labels", "GoodPractice")
    old_content_type = ContentType.objects.get(app_label="labels", model="goodpractice")
    moderators = Group.objects.create(name="Moderators")
    moderators.permissions.add(
        Permission.objects.get(content_type=old_content_type, codename="change_goodpractice")
    )
    submitted = OldPractice.objects.create(
        meeting_id=meeting.pk,
        partner_id=france.pk,
        domain_id=domain.pk,
        status="submitted",
        title="Un guichet unique",
        summary="Accueil et intégration.",
        level_of_government="local",
        contact_name="Awa Diop",
        contact_email="awa.diop@example.org",
        attachment="good-practices/ab/cd/guichet.pdf",
    )
    ContentType.objects.clear_cache()

    _migrate(_latest())
    ContentType.objects.clear_cache()

    moved = {practice.pk: practice for practice in GoodPractice.objects.all()}
    assert set(moved) == {published.pk, submitted.pk}
    assert (moved[published.pk].title, moved[published.pk].status) == (
        published.title,
        "published",
    )
    assert moved[submitted.pk].attachment.name == "good-practices/ab/cd/guichet.pdf"
    content_type = ContentType.objects.get_for_model(GoodPractice)
    assert (content_type.pk, content_type.app_label) == (old_content_type.pk, "practices")
    assert not ContentType.objects.filter(app_label="labels", model="goodpractice").exists()
    assert [f"{p.content_type.app_label}.{p.codename}" for p in moderators.permissions.all()] == [
        "practices.change_goodpractice"
    ]
    assert [entry.action for entry in AuditEntry.objects.filter(content_type=content_type)] == [
        "practice.status"
    ]
