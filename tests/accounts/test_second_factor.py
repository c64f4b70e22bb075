"""Hub staff confirm sign-in with a second factor (issue 7; DESIGN.md section 5): an authenticator
app (TOTP, django-otp) set up at the first sign-in, with single-use recovery codes."""

from __future__ import annotations

import io
import re
from base64 import b32encode

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import URLPattern, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from accounts.services import api_client_create
from requirements.management.commands.seed_demo import DEMO_AUTHENTICATOR_KEY
from staff import urls as staff_urls
from tests import factories
from tests.conftest import HubRestClient, confirmed_authenticator

PASSWORD = "correct-horse-battery"
STEP = reverse("accounts:second-factor")
SET_UP = reverse("accounts:second-factor-setup")
# Sample values for the staff URL patterns' parameters: the redirect comes before any lookup.
SAMPLE_KWARGS = {"reference": "UA-NONE-1", "other": "UA-NONE-2", "entry_id": 1, "kind": "csv"}


@pytest.fixture(autouse=True)
def _clean_cache():
    """Lock-out counts live in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def code_now(device: TOTPDevice, *, later_steps: int = 0) -> str:
    """What the user's authenticator app shows now (or so many 30-second steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + later_steps)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_now(device, later_steps=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def sign_in_with_password(client, user, next_url: str = ""):
    url = reverse("accounts:sign-in") + (f"?next={next_url}" if next_url else "")
    data = {"email": user.email, "password": PASSWORD, "next": next_url}
    return client.post(url, data)


def staff_page_urls() -> list[str]:
    urls = []
    for pattern in staff_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: SAMPLE_KWARGS[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"staff:{pattern.name}", kwargs=kwargs))
    return [
        *urls,
        reverse("staff-api-clients"),
        reverse("staff-requesters"),
        reverse("admin:index"),
        reverse("admin:firms_category_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("accounts:account"),
    ]


def test_cast_staff_are_verified_and_staff_without_otp_are_held_at_the_step(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("staff:triage")).status_code == 200
    client.force_login_without_second_factor(cast.staff_without_otp)
    response = client.get(reverse("staff:triage"))
    assert response.status_code == 302
    assert response["Location"].startswith(STEP)


def test_first_sign_in_enrols_an_authenticator_with_a_real_code(client, cast):
    staff = cast.staff_without_otp
    response = sign_in_with_password(client, staff, next_url="/staff/firms/")
    assert response.status_code == 302
    assert response["Location"] == STEP + "?next=%2Fstaff%2Ffirms%2F"
    response = client.get(response["Location"])
    assert response["Location"] == SET_UP + "?next=%2Fstaff%2Ffirms%2F"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Set up your authenticator app" in html
    assert "<svg" in html
    assert "<script" not in html.split("</header>", 1)[1]
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    secret = b32encode(device.bin_key).decode()
    shown = re.search(r'<code id="authenticator-key">([A-Z2-7 ]+)</code>', html).group(1)
    assert shown.replace(" ", "") == secret
    assert page["Cache-Control"].startswith("max-age=0")

    # Another visit shows the same key, so a half-finished set-up is not undone.
    again = client.get(SET_UP).content.decode()
    assert shown in again
    assert TOTPDevice.objects.filter(user=staff).count() == 1

    response = client.post(SET_UP, {"code": code_now(device), "next": "/staff/firms/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your recovery codes" in html
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)
    assert len(codes) == 10 == len(set(codes))
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    )
    assert 'href="/staff/firms/"' in html
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/firms/").status_code == 200
    assert client.get(SET_UP)["Location"] == reverse("admin:index")


def test_a_wrong_or_missing_code_is_refused_naming_the_field(client, cast):
    staff = cast.staff_without_otp
    client.force_login_without_second_factor(staff)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(SET_UP, {"code": wrong_code(device)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_code"' in html
    assert "Code from your authenticator app: Enter the 6-digit code your authenticator" in html
    response = client.post(SET_UP, {"code": ""})
    assert "Code from your authenticator app: Enter the code from your authenticator app" in (
        response.content.decode()
    )
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=staff).exists()
    assert client.get("/staff/firms/")["Location"].startswith(STEP)

    verified = cast.staff
    confirmed = confirmed_authenticator(verified)
    client.force_login_without_second_factor(verified)
    response = client.post(STEP, {"code": wrong_code(confirmed)})
    html = response.content.decode()
    assert 'href="#id_code"' in html
    assert "Security code: Enter the code your authenticator app shows now" in html
    assert client.get("/staff/firms/")["Location"].startswith(STEP)


def test_the_verify_step_takes_the_current_code_and_returns_to_the_page(client, cast):
    device = confirmed_authenticator(cast.staff)
    client.force_login_without_second_factor(cast.staff)
    response = client.get("/staff/requirements/?status=OPEN")
    assert response["Location"] == STEP + "?next=%2Fstaff%2Frequirements%2F%3Fstatus%3DOPEN"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Confirm it is you" in page.content.decode()
    assert 'name="next" value="/staff/requirements/?status=OPEN"' in page.content.decode()
    # An enrolled user is never shown a new key.
    assert client.get(SET_UP)["Location"].startswith(STEP)

    response = client.post(
        STEP, {"code": code_now(device), "next": "/staff/requirements/?status=OPEN"}
    )
    assert response["Location"] == "/staff/requirements/?status=OPEN"
    assert client.get("/staff/requirements/").status_code == 200
    # A code is good once: the same one cannot be replayed to verify another session.
    other = HubRestClient()
    other.force_login_without_second_factor(cast.staff)
    replayed = other.post(STEP, {"code": code_now(device)})
    assert replayed.status_code == 200
    assert "There is a problem" in replayed.content.decode()


def test_a_recovery_code_works_once(client, cast):
    staff = cast.staff
    confirmed_authenticator(staff)
    codes = services.recovery_codes_issue(user=staff)
    client.force_login_without_second_factor(staff)
    response = client.post(STEP, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/staff/firms/").status_code == 200
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Recovery codes left: 9." in page

    client.post(reverse("accounts:sign-out"))
    client.force_login_without_second_factor(staff)
    response = client.post(STEP, {"code": codes[0]})
    assert response.status_code == 200
    assert "a recovery code you have not used" in response.content.decode()
    assert client.get("/staff/firms/")["Location"].startswith(STEP)
    response = client.post(STEP, {"code": codes[1]}, follow=True)
    assert "Recovery codes left: 8." in response.content.decode()
    assert client.get("/staff/firms/").status_code == 200


def test_staff_regenerate_recovery_codes_from_their_account_page(client, cast):
    staff = cast.staff
    client.force_login(staff)
    old = services.recovery_codes_issue(user=staff)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Create new recovery codes" in page
    assert reverse("accounts:recovery-codes") in page

    response = client.post(reverse("accounts:recovery-codes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your previous recovery codes no longer work." in html
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)
    assert len(new) == 10
    assert not set(new) & set(old)
    assert services.second_factor_verify(user=staff, code=old[0]) is None
    assert services.second_factor_verify(user=staff, code=new[0]) is not None
    assert client.get("/staff/firms/").status_code == 200

    assert client.get(reverse("accounts:recovery-codes")).status_code == 405
    for refused in (cast.supplier_a, cast.requester_x):
        client.force_login(refused)
        assert client.post(reverse("accounts:recovery-codes")).status_code == 403
        assert (
            "Create new recovery codes"
            not in client.get(reverse("accounts:account")).content.decode()
        )
    client.logout()
    response = client.post(reverse("accounts:recovery-codes"))
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_every_staff_page_sends_an_unverified_staff_user_to_the_step(client, cast):
    urls = staff_page_urls()
    assert len(urls) >= len(staff_urls.urlpatterns) + 3
    client.force_login_without_second_factor(cast.staff_without_otp)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(STEP + "?next="), url
        # A form posted from a stale page is not carried out.
        response = client.post(url, {"action": "create", "name": "Sneaky"})
        assert response.status_code == 302, url
        assert response["Location"] == STEP, url

    superuser = factories.StaffFactory(is_superuser=True)
    client.force_login_without_second_factor(superuser)
    assert client.get(reverse("admin:index"))["Location"].startswith(STEP)

    client.force_login(cast.staff)
    for url in urls:
        response = client.get(url)
        assert not response.get("Location", "").startswith(STEP), url


def test_the_sign_out_and_the_step_itself_stay_reachable(client, cast):
    client.force_login_without_second_factor(cast.staff_without_otp)
    assert client.get(SET_UP).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/static/css/hub.css").status_code in (200, 404)
    assert client.get(reverse("accounts:sign-in")).status_code == 200
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_the_portal_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-in") + "?next=/admin/"
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/login/")


def test_the_api_refuses_an_unverified_staff_session_but_not_a_token(cast):
    api = HubRestClient()
    api.force_login_without_second_factor(cast.staff_without_otp)
    for url in ("/api/v1/requirements/", "/api/v1/firms/"):
        response = api.get(url)
        assert response.status_code == 403, url
        assert "second factor" in response.json()["detail"]

    # The public documentation is served as to anyone.
    assert api.get("/api/schema/").status_code == 200
    assert api.get("/api/docs/").status_code == 200

    api.force_login(cast.staff)
    assert api.get("/api/v1/requirements/").status_code == 200
    assert api.get("/api/v1/firms/").status_code == 200

    _client, token = api_client_create(name="Analyst", scope="STAFF")
    service = HubRestClient()
    service.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert service.get("/api/v1/firms/").status_code == 200

    supplier = HubRestClient()
    supplier.force_login(cast.supplier_a)
    assert supplier.get("/api/v1/requirements/").status_code == 200


def test_the_api_refuses_a_session_signed_in_with_the_password_only(cast):
    api = HubRestClient()
    assert sign_in_with_password(api, cast.staff)["Location"].startswith(STEP)
    response = api.get("/api/v1/requirements/")
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


@pytest.mark.parametrize(
    ("member", "landing"),
    [("supplier_a", "portal:dashboard"), ("requester_x", "requester:requirements")],
)
def test_suppliers_and_requesters_never_see_the_step(client, cast, member, landing):
    user = getattr(cast, member)
    response = sign_in_with_password(client, user)
    assert response["Location"] == reverse(landing)
    assert client.get(reverse(landing)).status_code == 200
    assert client.get(reverse("accounts:account")).status_code == 200
    assert client.get(STEP)["Location"] == reverse(landing)
    assert client.get(SET_UP)["Location"] == reverse(landing)
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_repeated_wrong_codes_lock_the_account(client, cast, settings):
    settings.HUB_SIGN_IN_MAX_FAILURES = 5
    staff = cast.staff
    device = confirmed_authenticator(staff)
    assert sign_in_with_password(client, staff)["Location"].startswith(STEP)
    for _ in range(5):
        response = client.post(STEP, {"code": wrong_code(device)})
        assert response.status_code == 200
    assert "locked for 15 minutes" in response.content.decode()
    # Even the right code is refused now, and so is the right password.
    response = client.post(STEP, {"code": code_now(device)})
    assert "locked for 15 minutes" in response.content.decode()
    assert client.get("/staff/firms/")["Location"].startswith(STEP)
    client.post(reverse("accounts:sign-out"))
    response = sign_in_with_password(client, staff)
    assert response.status_code == 200
    assert "locked" in response.content.decode()


def test_the_password_does_not_wipe_out_wrong_codes(client, cast, settings):
    """Signing in again between guesses at the code does not buy more guesses."""
    settings.HUB_SIGN_IN_MAX_FAILURES = 3
    staff = cast.staff
    device = confirmed_authenticator(staff)
    for _ in range(2):
        assert sign_in_with_password(client, staff)["Location"].startswith(STEP)
        response = client.post(STEP, {"code": wrong_code(device)})
    assert "locked" not in response.content.decode()
    assert sign_in_with_password(client, staff)["Location"].startswith(STEP)
    response = client.post(STEP, {"code": wrong_code(device)})
    assert "locked for 15 minutes" in response.content.decode()


def test_a_right_code_clears_the_failures(client, cast, settings):
    settings.HUB_SIGN_IN_MAX_FAILURES = 3
    staff = cast.staff
    device = confirmed_authenticator(staff)
    sign_in_with_password(client, staff)
    client.post(STEP, {"code": wrong_code(device)})
    client.post(STEP, {"code": wrong_code(device)})
    assert client.post(STEP, {"code": code_now(device)}).status_code == 302
    client.post(reverse("accounts:sign-out"))
    sign_in_with_password(client, staff)
    response = client.post(STEP, {"code": wrong_code(device)})
    assert "locked" not in response.content.decode()


def test_the_step_in_ukrainian(client, cast):
    confirmed_authenticator(cast.staff)
    client.force_login_without_second_factor(cast.staff)
    html = client.get(STEP, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Підтвердьте, що це ви" in html
    assert "Код безпеки" in html


def test_the_code_the_demo_authenticator_shows_signs_the_demo_staff_in(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    staff = User.objects.get(email="staff@demo.kyiv-hub.example")
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    assert b32encode(device.bin_key).decode() == DEMO_AUTHENTICATOR_KEY
    client.post(
        reverse("accounts:sign-in"),
        {"email": staff.email, "password": "demo-staff-Kyiv-2026"},
    )
    response = client.post(STEP, {"code": code_now(device)})
    assert response.status_code == 302
    assert client.get("/staff/firms/").status_code == 200
