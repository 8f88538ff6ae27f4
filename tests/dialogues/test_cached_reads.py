"""The partner and focal-point reads kept in the cache, and what retires them."""

import datetime

import pytest
from django.utils import timezone

from convene.core.enums import Language
from convene.dialogues.cached_reads import current_partner, focal_point_addresses
from tests.factories.core import FocalPointRoleFactory

pytestmark = pytest.mark.django_db


def test_current_partner_finds_the_code_in_any_case(reference_data, senegal):
    assert current_partner(reference_data.pk, "sn") == senegal
    assert current_partner(reference_data.pk, "SN") == senegal


def test_current_partner_second_read_needs_no_query(
    reference_data, senegal, django_assert_num_queries
):
    current_partner(reference_data.pk, "SN")

    with django_assert_num_queries(0):
        assert current_partner(reference_data.pk, "sn") == senegal


def test_current_partner_unknown_code_is_none_and_remembered(
    reference_data, django_assert_num_queries
):
    assert current_partner(reference_data.pk, "XX") is None

    with django_assert_num_queries(0):
        assert current_partner(reference_data.pk, "XX") is None


def test_current_partner_that_leaves_is_forgotten_at_once(reference_data, senegal):
    current_partner(reference_data.pk, "SN")

    senegal.left_on = datetime.date(2026, 1, 31)
    senegal.save()

    assert current_partner(reference_data.pk, "SN") is None


def test_focal_point_addresses_give_the_focal_points_language(senegal):
    FocalPointRoleFactory(
        partner=senegal, user__email="fp@sn.example.org", user__language=Language.FR
    )

    assert focal_point_addresses(senegal.pk) == [("fp@sn.example.org", "fr")]


def test_focal_point_addresses_second_read_needs_no_query(senegal, django_assert_num_queries):
    FocalPointRoleFactory(partner=senegal, user__email="first@sn.example.org")
    focal_point_addresses(senegal.pk)

    with django_assert_num_queries(0):
        assert focal_point_addresses(senegal.pk) == [("first@sn.example.org", "en")]


def test_focal_point_addresses_new_appointment_is_seen_at_once(senegal):
    assert focal_point_addresses(senegal.pk) == []

    FocalPointRoleFactory(partner=senegal, user__email="new@sn.example.org")

    assert focal_point_addresses(senegal.pk) == [("new@sn.example.org", "en")]


def test_focal_point_addresses_ended_role_is_dropped_at_once(senegal):
    role = FocalPointRoleFactory(partner=senegal, user__email="old@sn.example.org")
    focal_point_addresses(senegal.pk)

    # A role is current up to and including its last day (RoleAssignment.is_current).
    role.starts_on = timezone.localdate() - datetime.timedelta(days=30)
    role.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    role.save()

    assert focal_point_addresses(senegal.pk) == []


def test_focal_point_addresses_follow_a_change_of_address(senegal):
    role = FocalPointRoleFactory(partner=senegal, user__email="old@sn.example.org")
    focal_point_addresses(senegal.pk)

    role.user.email = "new@sn.example.org"
    role.user.save()

    assert focal_point_addresses(senegal.pk) == [("new@sn.example.org", "en")]


def test_focal_point_addresses_drop_a_deactivated_user(senegal):
    role = FocalPointRoleFactory(partner=senegal, user__email="gone@sn.example.org")
    focal_point_addresses(senegal.pk)

    role.user.is_active = False
    role.user.save(update_fields=["is_active"])

    assert focal_point_addresses(senegal.pk) == []


def test_focal_point_addresses_survive_a_sign_in(senegal, django_assert_num_queries):
    role = FocalPointRoleFactory(partner=senegal, user__email="fp@sn.example.org")
    focal_point_addresses(senegal.pk)

    role.user.save(update_fields=["last_login"])

    with django_assert_num_queries(0):
        assert focal_point_addresses(senegal.pk) == [("fp@sn.example.org", "en")]


def test_focal_point_addresses_include_an_appointment_with_a_future_end_date(senegal):
    FocalPointRoleFactory(
        partner=senegal,
        user__email="until-june@sn.example.org",
        ends_on=timezone.localdate() + datetime.timedelta(days=180),
    )

    assert focal_point_addresses(senegal.pk) == [("until-june@sn.example.org", "en")]


def test_focal_point_addresses_leave_out_an_appointment_not_started(senegal):
    FocalPointRoleFactory(
        partner=senegal,
        user__email="from-june@sn.example.org",
        starts_on=timezone.localdate() + datetime.timedelta(days=10),
    )

    assert focal_point_addresses(senegal.pk) == []
