"""Arbitrary input to the registration form, the public page and the API never gives a 500."""

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convene.registrations import services
from convene.registrations.errors import RegistrationError
from convene.registrations.forms import RegistrationForm
from tests.factories.registrations import api_body, form_data

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Fresh addresses, so that valid input registers rather than stopping at "duplicate".
SERIAL = itertools.count()
FORM_FIELDS = [
    "category",
    "delegation",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "institution",
    "function",
    "level_of_government",
    "role",
    "participation",
    "days",
    "language",
    "dietary_needs",
    "accessibility_needs",
    "needs_visa_letter",
    "consent_processing",
    "consent_participant_list",
]
API_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "delegation",
    "category",
    "institution",
    "function",
    "level_of_government",
    "role",
    "participation",
    "language",
    "consent",
    "title",
    "days",
    "dietary_needs",
    "accessibility_needs",
    "needs_visa_letter",
    "consent_participant_list",
]

# Text as a form post carries it (any character but lone surrogates, which UTF-8 cannot
# carry), a little of it long, and values a form field would recognise.
form_text = st.one_of(
    st.text(max_size=12),
    st.text(max_size=3).map(lambda text: text * 80),
    st.sampled_from(["SN", "1", "+221771234567", "awa@example.org", "head", "on", "fr"]),
)
# JSON can also escape lone surrogates ("\ud800"); awkward characters get a fair chance.
AWKWARD = ["\x00", "\x1b", "\ud800", "\udfff", "\u202e", "\ufeff", "<", "&", "'", "é", " "]
json_text = st.one_of(
    st.text(st.sampled_from(AWKWARD), min_size=1, max_size=4).map(lambda text: f"Awa{text}"),
    st.text(st.characters(exclude_categories=()), max_size=12),
    st.sampled_from(["SN", "no", "off", "true", "2099-01-01", "awa@example.org"]),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | json_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(json_text, children, max_size=3)
    ),
    max_leaves=6,
)


@FAST
@given(
    changes=st.dictionaries(
        st.sampled_from(FORM_FIELDS), form_text | st.lists(form_text, max_size=3)
    )
)
def test_registration_form_and_submission_never_crash(changes, meeting, senegal):
    data = {**form_data(meeting, senegal, email=f"delegate{next(SERIAL)}@example.org"), **changes}

    form = RegistrationForm(data, meeting=meeting)

    if form.is_valid():
        try:
            services.submit_registration(meeting, data=form.registration_data())
        except RegistrationError as error:
            assert error.code in {"duplicate", "ineligible", "delegation"}


@settings(FAST, max_examples=20)  # a page render costs more than a form
@given(changes=st.dictionaries(st.sampled_from(FORM_FIELDS), form_text, max_size=4))
def test_register_page_never_answers_500(changes, meeting, senegal, client):
    data = {**form_data(meeting, senegal, email=f"delegate{next(SERIAL)}@example.org"), **changes}

    response = client.post(f"/en/meetings/{meeting.slug}/register/", data)

    assert response.status_code in {302, 400}


@FAST
@given(field=st.sampled_from(API_FIELDS), value=json_text | json_values)
def test_api_one_odd_field_never_answers_500(field, value, meeting, client):
    body = {**api_body(email=f"delegate{next(SERIAL)}@example.org"), field: value}

    response = client.post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code in {202, 400}


@FAST
@given(changes=st.dictionaries(st.sampled_from(API_FIELDS), json_values, max_size=4))
def test_api_never_answers_500(changes, meeting, client):
    body = {**api_body(email=f"delegate{next(SERIAL)}@example.org"), **changes}

    response = client.post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code in {202, 400}
    assert isinstance(response.json(), dict)


@FAST
@given(body=json_values | st.dictionaries(json_text, json_values, max_size=5))
def test_api_arbitrary_json_never_answers_500(body, meeting, client):
    response = client.post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        json.dumps(body),
        content_type="application/json",
        headers={"accept-language": "fr"},
    )

    assert response.status_code in {202, 400}
