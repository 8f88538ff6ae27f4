import pytest


@pytest.fixture
def superuser(db):
    """A superuser with no role: every right comes from the superuser flag."""
    from tests.factories.core import UserFactory

    return UserFactory(
        email="root@secretariat.example.org",
        full_name="Superuser",
        is_staff=True,
        is_superuser=True,
    )
