"""Issue 12: the check-in page at the door, on a 390 px phone, against a meeting held
today (the browser's clock decides the day of a check-in, as at a real door).

Search and check in, the same person again, three people checked in with the network
down and sent when it returns, and a badge's QR code read through Chromium's fake
camera (jsQR when the browser has no BarcodeDetector). Set CONVENE_SCREENSHOTS to a
folder to keep the screenshots of each state.
"""

import io
import os
import re

import pytest
import segno
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from convene.dialogues.models import Partner
from convene.meetings.models import Meeting
from convene.onsite.models import Attendance, CheckinDevice
from convene.onsite.services import revoke_checkin_device
from convene.onsite.tokens import make_confirmation_token
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import CHROMIUM_ARGS, TIMEOUT_MS
from tests.browser.pages import DESKTOP, horizontal_scroll_width
from tests.conftest import CHROMIUM_PATH
from tests.factories.core import CheckinRoleFactory, SecretariatRoleFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
PASSWORD = "door-staff-password-1234"
STAFF_EMAIL = "door@example.org"
SCREENSHOTS = os.environ.get("CONVENE_SCREENSHOTS", "")
PEOPLE = [
    ("Awa", "Ndiaye", "AWA0001X"),
    ("Moussa", "Diop", "MOU0002X"),
    ("Élodie", "Faye", "ELO0003X"),
    ("Ibrahima", "Sarr", "IBR0004X"),
]


def keep_screenshot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"checkin-{name}.png"), full_page=True)


@pytest.fixture
def door(site_url):
    """A published meeting held today in Dakar, four approved delegates of Senegal and a
    member of its check-in staff who can sign in."""
    dialogue = Meeting.objects.get(slug="paris-2021").dialogue
    today = timezone.localtime(timezone.now(), timezone.get_fixed_timezone(0)).date()
    meeting = MeetingFactory(
        dialogue=dialogue,
        published=True,
        slug="door-today",
        title_en="Door test meeting",
        title_fr="Réunion de test de l’accueil",  # noqa: RUF001
        starts_on=today,
        ends_on=today,
        time_zone="Africa/Dakar",
    )
    senegal = Partner.objects.get(code="SN")
    people = [
        RegistrationFactory(
            meeting=meeting,
            delegation=senegal,
            status=RegistrationStatus.APPROVED,
            first_name=first,
            last_name=last,
            email=f"{reference.lower()}@example.org",
            reference=reference,
        )
        for first, last, reference in PEOPLE
    ]
    staff = CheckinRoleFactory(meeting=meeting).user
    staff.email = STAFF_EMAIL
    staff.set_password(PASSWORD)
    staff.save()
    return meeting, people


def open_door(context, meeting, language="en"):
    """Sign in through the page's redirect, name the device, and wait for the roster."""
    page = context.new_page()
    page.goto(f"/{language}/meetings/{meeting.slug}/check-in/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("input[type=email], #id_username").first.fill(STAFF_EMAIL)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/{language}/meetings/{meeting.slug}/check-in/$"))
    keep_screenshot(page, f"naming-{language}")
    page.locator("#id_name").fill("Desk 1 – Marie’s phone")  # noqa: RUF001
    page.get_by_role("button", name=re.compile("Start checking in|Commencer")).click()
    page.wait_for_selector("html[data-checkin-ready=true]")
    expect(page.locator("#checkin-roster")).to_contain_text("4 ")
    return page


def check_in_by_search(page, text, name):
    page.locator("#checkin-search").fill(text)
    page.get_by_role("button", name=f"Check in {name}").click()


def test_search_and_check_in_then_already_in(open_context, door):
    meeting, (awa, *_others) = door
    context = open_context(viewport=PHONE_390, bypass_csp=True)
    page = open_door(context, meeting)

    page.locator("#checkin-search").fill("ndi")
    keep_screenshot(page, "search")
    assert page.locator("#checkin-results li").all_inner_texts() == [
        "Awa Ndiaye\nSenegal · AWA0001X\nCheck in"
    ]
    page.get_by_role("button", name="Check in Awa Ndiaye").click()

    answer = page.locator("#checkin-answer")
    answer.get_by_text("Welcome, Awa Ndiaye (Senegal)").wait_for()
    assert answer.get_attribute("data-outcome") == "welcome"
    keep_screenshot(page, "welcome")
    assert_no_axe_violations(page)
    assert horizontal_scroll_width(page) <= PHONE_390["width"]
    page.set_viewport_size(DESKTOP)
    keep_screenshot(page, "welcome-1280")
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE_390)

    # Accents and case ignored: "elodie" finds Élodie; then Awa again.
    page.locator("#checkin-search").fill("elodie")
    assert page.locator("#checkin-results li strong").all_inner_texts() == ["Élodie Faye"]
    check_in_by_search(page, "AWA0001", "Awa Ndiaye")
    answer.get_by_text(
        re.compile(r"^Awa Ndiaye: already checked in at \d\d:\d\d by Desk 1")
    ).wait_for()
    assert answer.get_attribute("data-outcome") == "already_in"
    keep_screenshot(page, "already-in")
    assert page.locator("#checkin-waiting").get_attribute("data-count") == "0"
    attendance = Attendance.objects.get()
    device = CheckinDevice.objects.get(meeting=awa.meeting)
    assert (attendance.registration, attendance.device) == (awa, device)

    # Revoked by the Secretariat: the next reload says so, in full.
    revoke_checkin_device(device, actor=SecretariatRoleFactory().user)
    page.reload()
    page.get_by_role("heading", name="This device has been revoked by the Secretariat.").wait_for()
    keep_screenshot(page, "revoked")
    assert_no_axe_violations(page)


def test_the_page_speaks_french_and_refuses_what_is_not_a_code(open_context, door):
    meeting, _people = door
    context = open_context(viewport=PHONE_390)
    page = open_door(context, meeting, "fr")

    page.locator("#checkin-search").fill("sarr")
    page.get_by_role("button", name="Enregistrer l’arrivée de Ibrahima Sarr").click()  # noqa: RUF001

    page.locator("#checkin-answer").get_by_text("Bienvenue, Ibrahima Sarr (Sénégal)").wait_for()
    assert page.locator("#checkin-waiting").inner_text() == "0 arrivée en attente d’envoi"  # noqa: RUF001

    # Cancelled after the list reached the phone: the server refuses, in red.
    Registration.objects.filter(reference="ELO0003X").update(status=RegistrationStatus.CANCELLED)
    page.locator("#checkin-search").fill("faye")
    page.get_by_role("button", name="Enregistrer l’arrivée de Élodie Faye").click()  # noqa: RUF001
    answer = page.locator("#checkin-answer")
    answer.get_by_text("Annulé : cette inscription a été annulée.").wait_for()
    assert answer.get_attribute("data-outcome") == "cancelled"
    keep_screenshot(page, "refusal-fr")


def test_offline_check_ins_wait_on_the_device_then_are_sent(open_context, door):
    meeting, _people = door
    context = open_context(viewport=PHONE_390)
    page = open_door(context, meeting)

    # The service worker holds the page before the network goes.
    page.wait_for_selector("html[data-checkin-worker=on]")
    context.set_offline(True)
    page.locator("#checkin-network").get_by_text("Offline").wait_for()
    for first, last, reference in PEOPLE[:3]:
        check_in_by_search(page, reference, f"{first} {last}")
        page.locator("#checkin-answer").get_by_text(f"Welcome, {first} {last} (Senegal)").wait_for()
    # Awa again on this device, still offline: the device remembers.
    check_in_by_search(page, "awa", "Awa Ndiaye")
    page.locator("#checkin-answer").get_by_text(
        re.compile(r"^Awa Ndiaye: already checked in at \d\d:\d\d by Desk 1")
    ).wait_for()

    waiting = page.locator("#checkin-waiting")
    assert waiting.inner_text() == "4 check-ins waiting to be sent"
    keep_screenshot(page, "offline")
    assert Attendance.objects.count() == 0

    # A reload with no network still opens the page (service worker) and the queue.
    page.reload()
    page.wait_for_selector("html[data-checkin-ready=true]")
    assert page.locator("#checkin-waiting").inner_text() == "4 check-ins waiting to be sent"

    context.set_offline(False)
    expect(page.locator("#checkin-waiting")).to_have_attribute("data-count", "0")
    assert page.locator("#checkin-waiting").inner_text() == "0 check-ins waiting to be sent"
    assert set(Attendance.objects.values_list("registration__reference", flat=True)) == {
        reference for _first, _last, reference in PEOPLE[:3]
    }
    # What the Secretariat's list shows waiting on the device: nothing, once all is in.
    assert list(
        CheckinDevice.objects.filter(meeting=meeting).values_list("queued_count", flat=True)
    ) == [0]


def write_badge_video(path, text, *, width=640, height=480, frames=10):
    """A YUV4MPEG2 video of `text` as a QR code, still, on white: what Chromium's fake
    camera plays in a loop."""
    qr = segno.make(text, error="m")
    side = 360
    png = io.BytesIO()
    qr.save(png, kind="png", scale=max(1, side // qr.symbol_size()[0]), border=4)
    symbol = Image.open(io.BytesIO(png.getvalue())).convert("L")
    frame = Image.new("L", (width, height), 255)
    frame.paste(symbol, ((width - symbol.width) // 2, (height - symbol.height) // 2))
    y, cb, cr = frame.convert("RGB").convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)


def test_scan_through_the_fake_camera_welcomes_the_badge_holder(chromium, door, site_url, tmp_path):
    meeting, people = door
    moussa = people[1]
    video = tmp_path / "badge.y4m"
    write_badge_video(video, make_confirmation_token(moussa))
    camera_browser = chromium.browser_type.launch(
        executable_path=CHROMIUM_PATH,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(
            base_url=site_url, viewport=PHONE_390, permissions=["camera"]
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = open_door(context, meeting)

        page.get_by_role("button", name="Scan").click()
        answer = page.locator("#checkin-answer")
        answer.get_by_text("Welcome, Moussa Diop (Senegal)").wait_for()
        keep_screenshot(page, "scan")
        page.get_by_role("button", name="Stop scanning").click()
    finally:
        camera_browser.close()

    attendance = Attendance.objects.get()
    assert attendance.registration == moussa
