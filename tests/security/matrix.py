"""The role-by-URL table: for every URL of the project, how to build it from the scenario and what
each cast member gets (DESIGN.md section 5). tests/security/test_url_matrix.py holds the URL
configuration to this table; test_csrf.py reads which URLs accept which unsafe methods from it.

Statuses: an int, or one of the redirect tokens below. Anonymous visitors of a page are sent to
sign-in (LOGIN); a signed-in member without the role gets 403; an object outside the member's
scope is 404. The API answers 401 without credentials, 403 for a wrong role, 404 outside scope.
Staff still at the second-factor step are sent to it by every page (STEP) and get 403 from the
API; that column is derived (`otp_cell`) rather than written per URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = "302 to sign-in"
ADMIN_LOGIN = "302 to the admin's sign-in"
STEP = "302 to the second-factor step"


def redirect(path: str) -> str:
    return f"302 to {path}"


SUPPLIERS = ("supplier_a", "supplier_b", "supplier_listx", "supplier_unverified")
REQUESTERS = ("requester_x", "requester_y")
OTHERS_OF_A = ("supplier_b", "supplier_listx", "supplier_unverified")
BROWSER = ("anonymous", *SUPPLIERS, *REQUESTERS, "staff")
TOKENS = ("firm_token", "staff_token")


@dataclass(frozen=True)
class Case:
    """One concrete URL of a pattern and the status each member gets for it."""

    kwargs: Callable[[Any], dict[str, Any]]
    get: dict[str, Any]
    # Unsafe methods: members whose GET is a refusal get the same refusal; these override that
    # (a POST-only view answers GET with 405 once the role check passed, then POST may be 404).
    unsafe: dict[str, Any] = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class Entry:
    methods: tuple[str, ...]  # what the view accepts besides HEAD/OPTIONS
    cases: tuple[Case, ...]
    # POSTing as an allowed member changes the session (sign-out): use a throwaway client.
    throwaway: bool = False


def cells(default: Any, members: tuple[str, ...] = BROWSER, **overrides: Any) -> dict[str, Any]:
    return {member: default for member in members} | overrides


def public(status: Any = 200, **overrides: Any) -> dict[str, Any]:
    return cells(status, **overrides)


def signed_in(status: Any = 200, **overrides: Any) -> dict[str, Any]:
    return cells(status, anonymous=LOGIN) | overrides


def for_role(role: tuple[str, ...], ok: Any, overrides: dict[str, Any]) -> dict[str, Any]:
    return cells(403, anonymous=LOGIN) | dict.fromkeys(role, ok) | overrides


def for_suppliers(ok: Any = 200, **overrides: Any) -> dict[str, Any]:
    return for_role(SUPPLIERS, ok, overrides)


def for_firm_a(ok: Any = 200, **overrides: Any) -> dict[str, Any]:
    """A page about an object of firm A: the other firms' suppliers find nothing there."""
    return for_suppliers(ok, **dict.fromkeys(OTHERS_OF_A, 404)) | overrides


def for_requesters(ok: Any = 200, **overrides: Any) -> dict[str, Any]:
    return for_role(REQUESTERS, ok, overrides)


def for_staff(ok: Any = 200, **overrides: Any) -> dict[str, Any]:
    return for_role(("staff",), ok, overrides)


def api(default: Any, **overrides: Any) -> dict[str, Any]:
    return cells(default, (*BROWSER, *TOKENS), anonymous=401) | overrides


def after_sign_in(otp: Any) -> dict[str, Any]:
    """The second-factor pages: only staff still at that step stay; the others go on."""
    return (
        cells(redirect("/portal/"), anonymous=LOGIN, staff=redirect("/admin/"))
        | dict.fromkeys(REQUESTERS, redirect("/requester/"))
        | {"staff_without_otp": otp}
    )


def no_kwargs(s: Any) -> dict[str, Any]:
    return {}


def one(get: dict[str, Any], kwargs: Callable[[Any], dict[str, Any]] = no_kwargs, **more: Any):
    return (Case(kwargs=kwargs, get=get, **more),)


GET = ("GET",)
FORM = ("GET", "POST")
POST = ("POST",)


def ref(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda s: {"reference": getattr(s.objects, name).reference}


def cap_a(s: Any) -> dict[str, Any]:
    return {"pk": s.objects.cap_a.pk}


def job_a(s: Any) -> dict[str, Any]:
    return {"job_id": s.objects.job_a}


def chn_a(s: Any) -> dict[str, Any]:
    return {"companies_house_number": s.cast.firm_a.companies_house_number}


def open_and_twin(s: Any) -> dict[str, Any]:
    return {"reference": s.objects.req_open.reference, "other": s.objects.req_twin.reference}


BAD_LINK = {"uidb64": "MA", "token": "not-a-real-token"}
FIRM_A_ONLY = {"supplier_a": 200, "firm_token": 200, "staff": 200, "staff_token": 200}
NO_REQUESTERS = dict.fromkeys(REQUESTERS, 403)

PAGES: dict[str, Entry] = {
    # Public pages (DESIGN.md section 5's list); a bad or used link is a 400 page, not sign-in.
    "home": Entry(GET, one(public())),
    "healthz": Entry(GET, one(public())),
    "privacy": Entry(GET, one(public())),
    "accessibility": Entry(GET, one(public())),
    "set_language": Entry(FORM, one(public(redirect("/")))),
    "accounts:sign-up": Entry(FORM, one(public())),
    "accounts:sign-up-done": Entry(GET, one(public())),
    "accounts:verify-email": Entry(GET, one(public(400), lambda s: {"token": "not-a-real-token"})),
    # Staff still at the second-factor step may sign in again or sign out.
    "accounts:sign-in": Entry(FORM, one(public(staff_without_otp=200))),
    "accounts:sign-out": Entry(
        POST,
        one(
            public(405, staff_without_otp=405),
            unsafe=public(redirect("/"), staff_without_otp=redirect("/")),
        ),
        throwaway=True,
    ),
    # The admin's own sign-in would skip the lock-out and the second factor: the portal's instead.
    "admin/login/": Entry(GET, one(public(redirect("/account/sign-in/")))),
    # The second factor of hub staff: everyone else is sent on to their own start page.
    # (The cast's staff_without_otp has no authenticator app yet: set it up first.)
    "accounts:second-factor": Entry(
        FORM, one(after_sign_in(redirect("/account/second-factor/set-up/")))
    ),
    "accounts:second-factor-setup": Entry(FORM, one(after_sign_in(200))),
    "accounts:recovery-codes": Entry(POST, one(for_staff(405))),
    "accounts:invitation-accept": Entry(FORM, one(public(400), lambda s: BAD_LINK)),
    "accounts:password-reset": Entry(FORM, one(public())),
    "accounts:password-reset-done": Entry(GET, one(public())),
    # An unknown link shows the "this link is no longer valid" page.
    "accounts:password-reset-confirm": Entry(FORM, one(public(), lambda s: BAD_LINK)),
    "accounts:password-reset-complete": Entry(GET, one(public())),
    "portal:alerts-unsubscribe": Entry(GET, one(public(400), lambda s: {"token": "bad-token"})),
    # Any signed-in member.
    "accounts:account": Entry(GET, one(signed_in())),
    "accounts:delete": Entry(FORM, one(signed_in())),
    # Suppliers' portal: every supplier reaches their own firm's pages.
    "portal:dashboard": Entry(GET, one(for_suppliers())),
    "portal:firm-edit": Entry(FORM, one(for_suppliers())),
    "portal:members": Entry(FORM, one(for_suppliers())),
    "portal:member-remove": Entry(
        POST,
        one(
            for_suppliers(405),
            lambda s: {"pk": s.objects.membership_a.pk},
            unsafe=dict.fromkeys(OTHERS_OF_A, 404),
        ),
    ),
    "portal:certifications": Entry(FORM, one(for_suppliers())),
    "portal:barriers": Entry(FORM, one(for_suppliers())),
    "portal:capabilities": Entry(GET, one(for_suppliers())),
    "portal:capability-create": Entry(FORM, one(for_suppliers())),
    "portal:capability-edit": Entry(FORM, one(for_firm_a(), cap_a)),
    "portal:capability-toggle": Entry(
        POST, one(for_suppliers(405), cap_a, unsafe=dict.fromkeys(OTHERS_OF_A, 404))
    ),
    # Its firm's members and hub staff (DESIGN.md section 3: a firm's profile is private).
    "portal:datasheet": Entry(GET, one(for_firm_a(staff=200), cap_a)),
    "portal:csv-upload": Entry(FORM, one(for_suppliers())),
    "portal:csv-template": Entry(GET, one(for_suppliers())),
    "portal:csv-progress": Entry(GET, one(for_firm_a(), job_a)),
    "portal:csv-progress-json": Entry(GET, one(for_firm_a(), job_a)),
    "portal:requirement": Entry(
        FORM,
        (
            Case(ref("req_open"), for_suppliers(200, supplier_unverified=404), label="OFFICIAL"),
            Case(
                ref("req_sensitive"),
                for_suppliers(404, supplier_listx=200),
                label="OFFICIAL_SENSITIVE: List X only",
            ),
            Case(ref("req_submitted"), for_suppliers(404), label="SUBMITTED: not active"),
        ),
    ),
    "portal:alerts": Entry(FORM, one(for_suppliers())),
    # Requesters: their own organisation's requirements only.
    "requester:requirements": Entry(GET, one(for_requesters())),
    "requester:requirement-create": Entry(FORM, one(for_requesters())),
    "requester:requirement": Entry(
        GET,
        (
            Case(ref("req_submitted"), for_requesters(200, requester_y=404), label="org X"),
            Case(ref("req_sensitive"), for_requesters(404, requester_y=200), label="org Y"),
        ),
    ),
    "requester:requirement-edit": Entry(
        FORM, one(for_requesters(200, requester_y=404), ref("req_submitted"))
    ),
    "requester:requirement-withdraw": Entry(
        FORM, one(for_requesters(200, requester_y=404), ref("req_submitted"))
    ),
    "requester:field-report-create": Entry(FORM, one(for_requesters())),
    # Hub staff.
    "staff:firms": Entry(FORM, one(for_staff())),
    "staff:triage": Entry(GET, one(for_staff())),
    "staff:requirement": Entry(
        FORM,
        (
            Case(ref("req_open"), for_staff()),
            # The role is checked before the lookup: others learn nothing of what exists.
            Case(lambda s: {"reference": "UA-NO-SUCH-1"}, for_staff(404), label="unknown"),
        ),
    ),
    "staff:shortlist-add": Entry(POST, one(for_staff(405), ref("req_open"))),
    "staff:shortlist-remove": Entry(
        POST,
        one(
            for_staff(405),
            lambda s: {
                "reference": s.objects.req_open.reference,
                "entry_id": s.objects.shortlist_entry.pk,
            },
        ),
    ),
    "staff:shortlist-publish": Entry(POST, one(for_staff(405), ref("req_open"))),
    "staff:duplicate-merge": Entry(POST, one(for_staff(405), open_and_twin)),
    "staff:duplicate-dismiss": Entry(POST, one(for_staff(405), open_and_twin)),
    "staff:requirement-export": Entry(
        GET,
        (
            # Without a format the page answers with the form's error, not a file.
            Case(lambda s: {**ref("req_open")(s), "kind": "matches"}, for_staff()),
            Case(lambda s: {**ref("req_open")(s), "kind": "nonsense"}, for_staff(404)),
        ),
    ),
    "staff:exports": Entry(GET, one(for_staff())),
    "staff:dashboard": Entry(GET, one(for_staff())),
    "staff:gaps": Entry(GET, one(for_staff())),
    "staff:gaps-csv": Entry(GET, one(for_staff())),
    "staff-api-clients": Entry(FORM, one(for_staff())),
    "staff-requesters": Entry(FORM, one(for_staff())),
    # The REST API (/api/v1/): sessions and tokens alike.
    "api-schema": Entry(GET, one(cells(200, (*BROWSER, *TOKENS)))),
    "api-docs": Entry(GET, one(cells(200, (*BROWSER, *TOKENS)))),
    "v1:requirement-list": Entry(GET, one(api(200))),
    "v1:requirement-detail": Entry(
        GET,
        (
            Case(ref("req_open"), api(200, supplier_unverified=404, requester_y=404)),
            Case(
                ref("req_sensitive"),
                api(404, supplier_listx=200, requester_y=200, staff=200, staff_token=200),
                label="OFFICIAL_SENSITIVE",
            ),
            Case(
                ref("req_submitted"),
                api(404, requester_x=200, staff=200, staff_token=200),
                label="SUBMITTED",
            ),
        ),
    ),
    "v1:requirement-transition": Entry(
        POST, one(api(403, staff=405, staff_token=405), ref("req_submitted"))
    ),
    "v1:requirement-matches": Entry(
        GET,
        (
            Case(ref("req_open"), api(200, supplier_unverified=404, **NO_REQUESTERS)),
            Case(
                ref("req_sensitive"),
                api(404, supplier_listx=200, staff=200, staff_token=200, **NO_REQUESTERS),
                label="OFFICIAL_SENSITIVE",
            ),
        ),
    ),
    "v1:my-matches": Entry(GET, one(api(200, staff=403, staff_token=403, **NO_REQUESTERS))),
    "v1:firm-list": Entry(GET, one(api(200, **NO_REQUESTERS))),
    "v1:firm-detail": Entry(GET, one(api(404, **FIRM_A_ONLY, **NO_REQUESTERS), chn_a)),
    "v1:capability-list": Entry(GET, one(api(200, **NO_REQUESTERS))),
    "v1:capability-detail": Entry(
        GET,
        one(
            api(404, **FIRM_A_ONLY, **NO_REQUESTERS),
            lambda s: {**chn_a(s), "reference": s.objects.cap_a.reference},
        ),
    ),
    # Webhook registrations belong to a token; the firm token's endpoint is not the staff one's.
    "v1:webhook-list": Entry(FORM, one(api(403, firm_token=200, staff_token=200))),
    "v1:webhook-detail": Entry(
        ("GET", "DELETE"),
        one(
            api(403, firm_token=200, staff_token=404),
            lambda s: {"pk": s.objects.webhook.pk},
            unsafe={"staff_token": 404},
        ),
    ),
    "v1:webhook-rotate-secret": Entry(
        POST,
        one(
            api(403, firm_token=405, staff_token=405),
            lambda s: {"pk": s.objects.webhook.pk},
            unsafe={"staff_token": 404},
        ),
    ),
}


def is_refusal(expected: Any) -> bool:
    return expected in (LOGIN, ADMIN_LOGIN, STEP, 401, 403, 404)


# The second-factor step: every page but these sends staff who have not passed it there.
BEFORE_SECOND_FACTOR = ("/api/", "/i18n/", "/healthz")
PUBLIC_API_PAGES = ("/api/schema/", "/api/docs/")


def otp_cell(path: str, staff_expected: Any) -> Any:
    """What staff still at the second-factor step get, from what staff who passed it get."""
    if path.startswith(PUBLIC_API_PAGES):
        # The documentation is public: it reads no session, so it serves this one too.
        return staff_expected
    if path.startswith("/api/"):
        return 403
    if path.startswith(BEFORE_SECOND_FACTOR):
        return staff_expected
    return STEP
