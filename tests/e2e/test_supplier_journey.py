from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from firms import csv_upload
from firms.models import Capability, Firm
from firms.services import firm_set_verification
from matching import services as matching
from requirements.models import Interest
from tests import factories
from tests.e2e.conftest import sign_in

# The live server answers from another thread, so each test commits for real (and is flushed).
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"
HEADER = ",".join(csv_upload.COLUMNS)
ROW = (
    "QX-{n},Quad {n},Fast quad,UAS.INTERCEPTOR,{trl},1800,400,5,ML10,{status},true,false,"
    "interceptor;shahed,true"
)


def test_sign_up_to_a_published_capability_to_expressing_interest(page: Page, site, shot):
    requirement = factories.RequirementFactory(
        reference="UA-E2E-0001", title="Interceptor drones against Shahed-type attack drones"
    )
    page.goto(site)
    shot(page, "01-home")
    page.get_by_role("link", name="Register your firm").first.click()
    page.get_by_label("Your full name").fill("Ann Smith")
    page.get_by_label("E-mail address").fill("ann@severn.example")
    page.get_by_label("Create a password").fill("tight-rotor-blades-9")
    page.get_by_label("I have read the privacy notice").check()
    shot(page, "02-sign-up")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    link = re.search(r"https?://\S+/account/verify/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Tell us about your firm")).to_be_visible()
    page.get_by_label("Firm name").fill("Severn Drone Works Ltd")
    page.get_by_label("Companies House number").fill("SC12345")
    page.get_by_label("Postcode").fill("gl1 2eh")
    page.get_by_role("button", name="Register firm").click()
    expect(page.locator(".error-summary")).to_contain_text("must be 8 characters")
    shot(page, "03-firm-errors")
    page.get_by_label("Companies House number").fill("SC123456")
    page.get_by_role("button", name="Register firm").click()
    expect(page.get_by_test_id("unverified-notice")).to_be_visible()
    shot(page, "04-dashboard-unverified")

    page.get_by_role("link", name="Add a capability").first.click()
    page.get_by_label("Your reference").fill("HAWK-4")
    page.get_by_label("Name", exact=True).fill("Hawk-4 interceptor quadcopter")
    page.get_by_label("Description (optional)").fill(
        "Interceptor drone against Shahed attack drones."
    )
    page.get_by_label("Category").select_option(label="Interceptor drones")
    page.get_by_label("Keywords (optional)").fill("interceptor, shahed")
    page.get_by_label("Technology readiness level (TRL)").select_option("7")
    page.get_by_label("Unit price in pounds (optional)").fill("2900")
    page.get_by_label("Units you can make per month").fill("300")
    page.get_by_label("Lead time in weeks").fill("4")
    page.get_by_label("Export control rating").fill("ML10")
    page.get_by_label("Export licence status").select_option("SIEL_HELD")
    page.get_by_label("ITAR-free (no US ITAR-controlled parts)").check()
    shot(page, "05-capability-form")
    page.get_by_role("button", name="Publish capability").click()
    expect(page.get_by_role("cell", name="Interceptor drones")).to_be_visible()
    shot(page, "06-capabilities")
    assert Capability.objects.filter(reference="HAWK-4").exists()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_text("Requirements appear here after hub staff verify")).to_be_visible()
    expect(page.get_by_text(requirement.title)).to_have_count(0)

    firm_set_verification(
        firm=Firm.objects.get(companies_house_number="SC123456"), state="VERIFIED"
    )
    page.reload()
    fit = page.locator("article.fit").first
    expect(fit).to_contain_text(requirement.title)
    expect(fit).to_contain_text("Why you match")
    shot(page, "07-dashboard-fits")
    fit.get_by_role("link", name=requirement.title, exact=True).click()
    page.get_by_label("Note for hub staff (optional)").fill("We can ship 300 a month from March.")
    page.get_by_role("button", name="Express interest").click()
    expect(page.get_by_test_id("interest-current")).to_be_visible()
    shot(page, "08-requirement-interest")
    interest = Interest.objects.get(requirement=requirement)
    assert interest.note == "We can ship 300 a month from March."


def test_csv_upload_with_a_moving_progress_bar_succeeds(page: Page, site, shot, tmp_path):
    membership = factories.MembershipFactory()
    sign_in(page, site, membership.user.email, PASSWORD)
    page.goto(f"{site}/portal/capabilities/upload/")
    shot(page, "09-csv-upload")

    # The bar follows the progress the worker stores; drive it by hand to watch it move.
    job = "e2e-progress"
    csv_upload.progress_set(job, firm_id=membership.firm.pk, state="running", done=10, total=100)
    page.goto(f"{site}/portal/capabilities/upload/{job}/")
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "9")
    csv_upload.progress_set(job, done=60)
    expect(bar).to_have_attribute("aria-valuenow", "54")
    shot(page, "10-csv-progress")
    csv_upload.progress_set(job, state="done", created=0, updated=0, errors=[])
    expect(page.get_by_role("heading", name="Upload complete")).to_be_visible()

    path = tmp_path / "caps.csv"
    rows = [ROW.format(n=n, trl=7, status="SIEL_HELD") for n in range(1, 4)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    page.goto(f"{site}/portal/capabilities/upload/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_test_id("upload-done")).to_contain_text("3 capabilities added")
    shot(page, "11-csv-done")
    assert Capability.objects.filter(firm=membership.firm).count() == 3


def test_csv_with_two_bad_rows_shows_both_and_imports_nothing(page: Page, site, shot, tmp_path):
    membership = factories.MembershipFactory()
    sign_in(page, site, membership.user.email, PASSWORD)
    path = tmp_path / "bad.csv"
    rows = [
        ROW.format(n=1, trl=7, status="SIEL_HELD"),
        ROW.format(n=2, trl=12, status="SIEL_HELD"),
        ROW.format(n=3, trl=7, status="NOT_REQUIRED"),
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    page.goto(f"{site}/portal/capabilities/upload/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    table = page.get_by_test_id("upload-errors")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("must be between 1 and 9")
    expect(table).to_contain_text("licence_status")
    shot(page, "12-csv-errors")
    assert not Capability.objects.filter(firm=membership.firm).exists()


def test_the_interface_in_ukrainian(page: Page, site, shot):
    membership = factories.MembershipFactory()
    factories.CapabilityFactory(firm=membership.firm, name="Hawk-4")
    requirement = factories.RequirementFactory(
        title="Interceptors",
        title_uk="Дрони-перехоплювачі для енергетики",
        required_certifications=["AQAP2110"],
    )
    matching.requirement_rescore(requirement_id=requirement.pk)
    sign_in(page, site, membership.user.email, PASSWORD)
    page.get_by_label("Language").select_option("uk")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("link", name="Огляд")).to_be_visible()
    expect(page.get_by_role("heading", name="Вимоги, що вам підходять")).to_be_visible()
    fit = page.locator("article.fit").first
    expect(fit).to_contain_text("Дрони-перехоплювачі для енергетики")
    expect(fit).to_contain_text("потрібен сертифікат AQAP 2110")
    assert page.locator("html").get_attribute("lang") == "uk"
    shot(page, "13-dashboard-uk")
    page.get_by_role("link", name="Можливості", exact=True).click()
    expect(page.get_by_role("cell", name="Дрони-перехоплювачі")).to_be_visible()
    shot(page, "14-capabilities-uk")
    page.get_by_role("link", name="Додати можливість").first.click()
    page.get_by_role("button", name="Опублікувати можливість").click()
    expect(page.locator(".error-summary")).to_contain_text("Виникла проблема")
    shot(page, "15-capability-errors-uk")


def test_another_firms_capability_url_is_not_found(page: Page, site, shot):
    mine = factories.MembershipFactory()
    theirs = factories.CapabilityFactory()
    sign_in(page, site, mine.user.email, PASSWORD)
    response = page.goto(f"{site}/portal/capabilities/{theirs.pk}/")
    assert response.status == 404


def test_pages_fit_a_phone_screen(page: Page, site, shot):
    membership = factories.MembershipFactory()
    factories.CapabilityFactory(firm=membership.firm)
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, site, membership.user.email, PASSWORD)
    for path, name in [
        ("/portal/", "16-phone-dashboard"),
        ("/portal/capabilities/", "17-phone-capabilities"),
        ("/portal/capabilities/new/", "18-phone-capability-form"),
    ]:
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, name)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
