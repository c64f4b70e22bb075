"""The hub's loop in the browser on the demo data: a Ukrainian requester submits, hub staff triage
and open it, a real Celery worker scores it, staff shortlist and publish, the requester sees the
shortlist and files a field report, and the worker's rescore moves the capability down.

Each person has a browser context of their own (their own cookies and language)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from firms.models import Capability, Firm
from matching.models import Match
from requirements import demo_data
from requirements.dates import kyiv_today
from requirements.models import FieldReport, Requirement, RequirementEvent
from tests import factories
from tests.e2e.conftest import sign_in
from tests.integration.conftest import wait_for

# The live server and the worker read what the test writes, so every write commits (and is
# flushed after the test).
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORDS = {account.email: account.password for account in demo_data.ACCOUNTS}
STAFF = demo_data.STAFF
REQUESTER = demo_data.REQUESTER_MOD
OTHER_REQUESTER = demo_data.REQUESTER_KHARKIV
SUPPLIER = "supplier.verified@" + demo_data.DEMO_DOMAIN

TITLE_UK = "Тепловізійні приціли для нічної оборони від дронів"
DESCRIPTION_UK = (
    "Мобільним вогневим групам потрібні тепловізійні приціли та тепловізійні монокуляри, "
    "щоб збивати дрони вночі."
)
# The English text staff write at triage; matching reads it. On the demo catalogue it ranks
# Kestrel Optics' three thermal items first, its 640 sight a fraction of a point above its
# monocular: close enough for one failed field report to swap them.
TITLE_EN = "Thermal sights for night defence against drones"
DESCRIPTION_EN = (
    "Thermal weapon sights and handheld thermal monoculars for mobile fire groups shooting "
    "down drones at night."
)
SIGHT, MONOCULAR, MARKER = "KO-TS-640", "KO-MONO-35", "NV-IR-MARK"

STAFF_URLS = [
    "/staff/requirements/",
    "/staff/requirements/UA-2026-0101/",
    "/staff/requirements/UA-2026-0101/export/matches/?format=csv&language=en",
    "/staff/dashboard/",
    "/staff/gaps/",
    "/staff/gaps.csv",
    "/staff/exports/",
    "/staff/firms/",
    "/staff/requesters/",
]


def _as(page: Page, site: str, email: str) -> Page:
    sign_in(page, site, email, PASSWORDS[email])
    return page


def _language(page: Page, code: str) -> None:
    # The selector's label is in the page's language ("Language", "Мова").
    page.locator("#lang-select").select_option(code)
    with page.expect_navigation():
        page.locator("form.lang button").click()
    assert page.locator("html").get_attribute("lang") == code


def _unique_ids(page: Page) -> None:
    """Two elements sharing an id break every label that points at one of them."""
    repeated = page.evaluate(
        """() => {
            const seen = {};
            for (const el of document.querySelectorAll("[id]")) {
                seen[el.id] = (seen[el.id] || 0) + 1;
            }
            return Object.keys(seen).filter(id => seen[id] > 1);
        }"""
    )
    assert repeated == [], f"{page.url} repeats ids {repeated}"


def _download_xlsx(page: Page, button: str, file_format: str, language: str) -> list[list]:
    """Download an export through its form and read it back with openpyxl."""
    from openpyxl import load_workbook

    form = page.locator("form").filter(has=page.get_by_role("button", name=button))
    form.get_by_label("File format").select_option(file_format)
    form.get_by_label("Language of the file").select_option(language)
    with page.expect_download() as download:
        form.get_by_role("button", name=button).click()
    assert download.value.suggested_filename.endswith(f"-{language}.{file_format}")
    # Playwright stores the file without its extension, which openpyxl goes by: read the bytes.
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    page.reload()
    return rows


def _match_order(page: Page) -> list[str]:
    return page.locator("article.fit[data-capability]").evaluate_all(
        "rows => rows.map(row => row.dataset.capability)"
    )


def _fit(page: Page, reference: str):
    return page.locator(f'article.fit[data-capability="{reference}"]')


def test_submission_to_shortlist_to_field_report(page: Page, new_page, site, worker, shot):
    # --- the requester submits one requirement in Ukrainian only, one in English ----------
    requester = _as(page, site, REQUESTER)
    expect(requester).to_have_url(re.compile(r"/requester/$"))
    requester.goto(site)
    requester.locator("main").get_by_role("link", name="Your requirements").click()
    expect(requester).to_have_url(re.compile(r"/requester/$"))
    _unique_ids(requester)
    shot(requester, "loop-01-requester-list-en")
    _language(requester, "uk")
    expect(requester.get_by_role("link", name="Ваші вимоги")).to_be_visible()
    requester.get_by_role("link", name="Подати вимогу").first.click()
    expect(requester.get_by_role("heading", name="Що вам потрібно")).to_be_visible()
    requester.get_by_label("Назва українською").fill(TITLE_UK)
    requester.get_by_label("Опис українською").fill(DESCRIPTION_UK)
    requester.get_by_label("Категорія").select_option("ISR.THERMAL")
    requester.get_by_label("Кількість").fill("300")
    requester.get_by_label("Одиниця").fill("шт.")
    needed_by = kyiv_today() + dt.timedelta(days=90)
    requester.get_by_label("Потрібно до").fill(needed_by.isoformat())
    requester.get_by_label("Високий").check()
    requester.get_by_label(
        "Найнижчий прийнятний рівень технологічної готовності (TRL)"
    ).select_option("6")
    _unique_ids(requester)
    shot(requester, "loop-02-requester-submit-uk")
    requester.get_by_role("button", name="Подати вимогу").click()
    expect(requester.locator(".notice--success")).to_contain_text("подано")
    reference = requester.locator("main p.muted").first.inner_text().strip()
    requirement = Requirement.objects.get(reference=reference)
    assert (requirement.title, requirement.title_uk) == ("", TITLE_UK)
    assert requirement.status == "SUBMITTED"
    assert requirement.requesting_organisation_id == "mod-procurement"
    expect(requester.get_by_role("heading", level=1)).to_have_text(TITLE_UK)
    _unique_ids(requester)
    shot(requester, "loop-03-requester-submitted-uk")

    _language(requester, "en")
    requester.get_by_role("link", name="Submit a requirement").first.click()
    requester.get_by_label("Title in English").fill("Diesel generators for district hospitals")
    requester.get_by_label("Description in English").fill(
        "Standby diesel generators of 30 to 100 kVA with automatic transfer switch for "
        "district hospitals during grid outages."
    )
    requester.get_by_label("Category", exact=True).select_option("ENERGY.GENERATION")
    requester.get_by_label("Quantity", exact=True).fill("12")
    requester.get_by_label("Unit", exact=True).fill("generators")
    requester.get_by_label("Needed by", exact=True).fill(
        (kyiv_today() + dt.timedelta(days=60)).isoformat()
    )
    requester.get_by_label("Routine", exact=True).check()
    requester.get_by_label("Lowest technology readiness level (TRL) you accept").select_option("8")
    _unique_ids(requester)
    shot(requester, "loop-04-requester-submit-en")
    requester.get_by_role("button", name="Submit requirement").click()
    expect(requester.locator(".notice--success")).to_contain_text("is submitted")
    english = Requirement.objects.get(title="Diesel generators for district hospitals")
    assert (english.title_uk, english.status) == ("", "SUBMITTED")
    requester.get_by_role("link", name="Your requirements").click()
    expect(requester.get_by_role("link", name=english.reference)).to_be_visible()
    expect(requester.get_by_role("link", name=reference)).to_be_visible()
    _unique_ids(requester)
    shot(requester, "loop-05-requester-list-en")

    # --- staff triage the Ukrainian one and open it ----------------------------------------
    staff = _as(new_page(), site, STAFF)
    staff.goto(site)
    staff.locator("main").get_by_role("link", name="Triage board").click()
    expect(staff).to_have_url(re.compile(r"/staff/requirements/$"))
    row = staff.locator(f'tr[data-reference="{reference}"]')
    expect(row).to_contain_text(TITLE_UK)
    expect(staff.locator(f'tr[data-reference="{english.reference}"]')).to_be_visible()
    _unique_ids(staff)
    shot(staff, "loop-06-staff-triage-board")
    row.get_by_role("link", name=reference).click()
    expect(staff.get_by_test_id("title-uk")).to_have_text(TITLE_UK)
    staff.get_by_label("Title in English").fill(TITLE_EN)
    staff.get_by_label("Description in English").fill(DESCRIPTION_EN)
    staff.locator("#id_category").select_option("ISR.THERMAL")
    staff.locator("#id_priority").select_option("CRITICAL")
    staff.get_by_label("Classification").select_option("OFFICIAL")
    staff.get_by_role("button", name="Save triage").click()
    expect(staff.locator(".notice--success")).to_have_text("The requirement is saved.")
    staff.get_by_label("Triaged").check()
    staff.get_by_label("Note", exact=True).fill("English text written; priority raised.")
    staff.get_by_role("button", name="Change status").click()
    expect(staff.get_by_test_id("status")).to_have_text("Triaged")
    _unique_ids(staff)
    shot(staff, "loop-07-staff-requirement-triaged")
    staff.get_by_label("Open", exact=True).check()
    staff.get_by_role("button", name="Change status").click()
    expect(staff.get_by_test_id("status")).to_have_text("Open")
    requirement.refresh_from_db()
    assert (requirement.title, requirement.priority) == (TITLE_EN, "CRITICAL")
    assert requirement.title_uk == TITLE_UK

    # --- the worker process scores it; the match review lists it ---------------------------
    wait_for(lambda: Match.objects.filter(requirement=requirement).exists(), timeout=60)
    staff.reload()
    expect(_fit(staff, SIGHT)).to_be_visible()
    before = _match_order(staff)
    assert before[:3] == ["KO-TS-384", SIGHT, MONOCULAR], before
    assert before.index(SIGHT) < before.index(MONOCULAR) < before.index(MARKER)
    expect(_fit(staff, SIGHT)).to_contain_text("Why it matches")
    _unique_ids(staff)
    shot(staff, "loop-08-staff-match-review")

    # --- shortlist two suppliers with a note each, then publish -----------------------------
    kestrel = Firm.objects.get(name="Kestrel Optics Ltd")
    kestrel_member = factories.MembershipFactory(firm=kestrel).user
    for capability, note in (
        (SIGHT, "640 x 512 clip-on sight, field-proven; 250 a month."),
        (MARKER, "Infrared markers so crews tell friend from foe at night."),
    ):
        fit = _fit(staff, capability)
        fit.get_by_label("Note for the shortlist").fill(note)
        fit.get_by_role("button", name=re.compile("to the shortlist")).click()
        expect(staff.locator(".notice--success")).to_contain_text("is on the shortlist")
    shortlist = staff.get_by_test_id("shortlist")
    expect(shortlist.locator("tbody tr")).to_have_count(2)
    expect(shortlist).to_contain_text("250 a month")
    expect(shortlist).to_contain_text("friend from foe")
    staff.get_by_label("Note for the history").fill("Two suppliers introduced.")
    mail.outbox.clear()
    staff.get_by_role("button", name="Publish the shortlist").click()
    expect(staff.locator(".notice--success")).to_contain_text("published")
    expect(staff.get_by_test_id("status")).to_have_text("Shortlisted")
    _unique_ids(staff)
    shot(staff, "loop-09-staff-shortlist-published")
    recipients = {address for message in mail.outbox for address in message.to}
    assert {REQUESTER, kestrel_member.email} <= recipients
    to_requester = next(m for m in mail.outbox if m.to == [REQUESTER])
    assert reference in to_requester.subject + to_requester.body
    assert "Kestrel Optics Ltd" in to_requester.body

    # The match list and the shortlist download as XLSX and read back in the page's order.
    match_rows = _download_xlsx(staff, "Download the match list", "xlsx", "en")
    assert match_rows[0][:4] == ["Rank", "Firm", "Companies House number", "Capability reference"]
    # The page shows the best rows; the file holds the whole list, in the same order.
    assert [row[3] for row in match_rows[1 : len(before) + 1]] == before
    assert len(match_rows) - 1 == Match.objects.filter(requirement=requirement).count()
    shortlist_rows = _download_xlsx(staff, "Download the shortlist", "xlsx", "uk")
    assert shortlist_rows[0][0] != "Firm"  # headings in Ukrainian
    assert [(row[0], row[2]) for row in shortlist_rows[1:]] == [
        ("Kestrel Optics Ltd", SIGHT),
        ("Nightjar Vision Ltd", MARKER),
    ]
    expect(staff.get_by_test_id("history")).to_contain_text("Exported")

    # Every staff action is in the history, oldest first.
    actions = (
        staff.get_by_test_id("history")
        .locator("tbody tr")
        .evaluate_all("rows => rows.map(row => row.dataset.action)")
    )
    assert [a for a in actions if a != "STATUS"] == [
        "TRIAGED_EDIT",
        "SHORTLIST_ADD",
        "SHORTLIST_ADD",
        "SHORTLIST_PUBLISH",
        "EXPORT",
        "EXPORT",
    ]
    assert actions.count("STATUS") == 4  # submitted, triaged, open, shortlisted
    history = staff.get_by_test_id("history")
    expect(history).to_contain_text("English text written; priority raised.")
    expect(history).to_contain_text("Two suppliers introduced.")

    # --- the requester sees the shortlist ---------------------------------------------------
    requester.goto(f"{site}/requester/requirements/{reference}/")
    cards = requester.get_by_test_id("shortlist").locator("article")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Kestrel Optics Ltd")).to_contain_text(
        "Clip-on thermal weapon sight, 640 x 512"
    )
    expect(cards.filter(has_text="Nightjar Vision Ltd")).to_be_visible()
    _unique_ids(requester)
    shot(requester, "loop-10-requester-shortlist-en")
    _language(requester, "uk")
    expect(
        requester.get_by_role("heading", name="Постачальники з короткого списку")
    ).to_be_visible()
    expect(requester.get_by_role("heading", level=1)).to_have_text(TITLE_UK)
    _unique_ids(requester)
    shot(requester, "loop-11-requester-shortlist-uk")

    # A requester of another organisation cannot open it.
    other = _as(new_page(), site, OTHER_REQUESTER)
    response = other.goto(f"{site}/requester/requirements/{reference}/")
    assert response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(other.locator("body")).not_to_contain_text(TITLE_UK)

    # --- a failed field report on the sight; the worker's rescore moves it down --------------
    sight = Capability.objects.get(firm=kestrel, reference=SIGHT)
    score_before = Match.objects.get(requirement=requirement, capability=sight).score
    requester.get_by_role("link", name=re.compile("Clip-on thermal weapon sight")).click()
    expect(requester.get_by_role("heading", name="Подати звіт із поля")).to_be_visible()
    expect(requester.get_by_label("Про яке спорядження ваш звіт?")).to_have_value(str(sight.pk))
    requester.get_by_label("1 – не впоралося").check()
    requester.get_by_label("Що сталося").fill(
        "Сім із десяти прицілів втратили нуль після першої ночі стрільби; зображення зависало "
        "на морозі."
    )
    _unique_ids(requester)
    shot(requester, "loop-12-requester-field-report-uk")
    requester.get_by_role("button", name="Надіслати звіт").click()
    expect(requester.locator(".notice--success")).to_be_visible()
    expect(requester).to_have_url(re.compile(f"/requester/requirements/{reference}/$"))
    report = FieldReport.objects.get(capability=sight)
    assert (report.rating, report.requirement_id) == (1, requirement.pk)

    wait_for(
        lambda: Match.objects.get(requirement=requirement, capability=sight).score < score_before,
        timeout=60,
    )
    staff.reload()
    expect(_fit(staff, SIGHT)).to_contain_text("1 field report averaging 1.0 of 5")
    after = _match_order(staff)
    assert after.index(SIGHT) > before.index(SIGHT), (before, after)
    assert after.index(MONOCULAR) < after.index(SIGHT)
    _unique_ids(staff)
    shot(staff, "loop-13-staff-match-review-after-report")
    assert RequirementEvent.objects.filter(requirement=requirement).count() == 6


def test_staff_pages_refuse_suppliers_and_requesters(page: Page, new_page, site, demo, shot):
    for number, (browser_page, email) in enumerate(
        ((page, SUPPLIER), (new_page(), REQUESTER)), start=1
    ):
        _as(browser_page, site, email)
        for path in STAFF_URLS:
            response = browser_page.goto(site + path)
            assert response.status == 403, (email, path, response.status)
            expect(browser_page.get_by_role("heading", level=1)).to_have_text(
                "You do not have access to this page"
            )
            expect(browser_page.locator("body")).not_to_contain_text("Triage board")
        shot(browser_page, f"refused-{number}-{email.split('@')[0]}")


def test_pipeline_dashboard_charts_hold_the_demo_figures(page: Page, site, demo, shot):
    _as(page, site, STAFF)
    page.goto(f"{site}/staff/dashboard/")
    for chart in ("status-chart", "ratings-chart"):
        figure = page.get_by_test_id(chart)
        expect(figure.locator("svg")).to_have_count(1)
        # Bars are drawn: the chart holds more than its axes.
        assert figure.locator("svg path").count() > 10

    statuses = Counter((r.status, r.priority) for r in demo_data.REQUIREMENTS)
    table = page.get_by_test_id("status-table")
    for status in ("SUBMITTED", "TRIAGED", "OPEN", "SHORTLISTED", "FULFILLED", "CLOSED"):
        cells = table.locator(f'tr[data-status="{status}"] td').all_inner_texts()
        expected = [statuses[(status, p)] for p in ("CRITICAL", "HIGH", "ROUTINE")]
        assert cells == [str(n) for n in [*expected, sum(expected)]], status
    total = table.locator('tr[data-status="ALL"] td').all_inner_texts()
    assert total[-1] == str(len(demo_data.REQUIREMENTS))

    today = kyiv_today()
    ratings: dict[str, list[int]] = {}
    for report in demo_data.FIELD_REPORTS:
        month = (today - dt.timedelta(days=report.days_ago)).strftime("%Y-%m")
        ratings.setdefault(month, []).append(report.rating)
    months = page.get_by_test_id("ratings-table").locator("tbody tr")
    assert months.evaluate_all("rows => rows.map(r => r.dataset.month)") == sorted(ratings)
    for month, values in ratings.items():
        row = page.locator(f'tr[data-month="{month}"]')
        expect(row.get_by_test_id("count")).to_have_text(str(len(values)))
        expect(row.get_by_test_id("mean")).to_have_text(f"{sum(values) / len(values):.2f}")
    active = sum(1 for r in demo_data.REQUIREMENTS if r.status in ("OPEN", "SHORTLISTED"))
    expect(page.get_by_test_id("active-requirements")).to_have_text(str(active))
    _unique_ids(page)
    shot(page, "dashboard-01-pipeline-en")

    page.get_by_role("link", name=re.compile("See the capability gaps")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _unique_ids(page)
    shot(page, "dashboard-02-gaps-en")
    page.goto(f"{site}/staff/exports/")
    _unique_ids(page)
    shot(page, "dashboard-03-exports-en")
    page.goto(f"{site}/staff/firms/")
    _unique_ids(page)
    shot(page, "dashboard-05-firm-verification-en")
    page.goto(f"{site}/staff/requesters/")
    _unique_ids(page)
    shot(page, "dashboard-04-requesters-en")


def test_staff_and_requester_pages_fit_a_phone_screen(page: Page, new_page, site, demo, shot):
    for browser_page, email, paths in (
        (page, REQUESTER, ["/requester/", "/requester/requirements/new/"]),
        (
            new_page(),
            STAFF,
            [
                "/staff/requirements/",
                "/staff/requirements/UA-2026-0101/",
                "/staff/dashboard/",
                "/staff/requesters/",
            ],
        ),
    ):
        _as(browser_page, site, email)
        browser_page.set_viewport_size({"width": 375, "height": 812})
        for path in paths:
            browser_page.goto(site + path)
            wide = browser_page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth + 1"
            )
            assert wide, f"{path} is wider than a phone screen"
        shot(browser_page, f"phone-{email.split('@')[0]}")
