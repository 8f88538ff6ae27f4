"""Users and their roles.

A user is a plain account (no back-office access). A role factory gives its user
back-office access (`is_staff`), since a role is only used there.
"""

import factory
from factory.django import DjangoModelFactory

from convene.core.enums import Language, Role
from convene.core.models import RoleAssignment, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    language = Language.EN
    is_staff = False
    # Unusable unless a test gives one: most tests sign in with force_login.
    password = factory.django.Password(None)


class RoleAssignmentFactory(DjangoModelFactory):
    """Current since today, with no end date."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory, is_staff=True)


class SecretariatRoleFactory(RoleAssignmentFactory):
    role = Role.SECRETARIAT


class FocalPointRoleFactory(RoleAssignmentFactory):
    role = Role.FOCAL_POINT
    partner = factory.SubFactory("tests.factories.dialogues.PartnerFactory")


class OrganiserRoleFactory(RoleAssignmentFactory):
    role = Role.ORGANISER
    meeting = factory.SubFactory("tests.factories.meetings.MeetingFactory")


class CheckinRoleFactory(RoleAssignmentFactory):
    role = Role.CHECKIN
    meeting = factory.SubFactory("tests.factories.meetings.MeetingFactory")
