"""Staff pipeline dashboard and capability-gap view (issue 6): figures against known data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from statistics import median
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from matching.models import Match
from matching.services import requirement_rescore
from requirements import demo_data
from requirements import services as requirement_services
from requirements.dates import KYIV, kyiv_today
from requirements.flow import Status
from requirements.models import ExportRecord, Requirement
from tests import factories

PAGES = ("staff:dashboard", "staff:gaps", "staff:gaps-csv")


def at(day: int, month: int = 3, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=KYIV)


def _cell(html: str, attribute: str, value: str, testid: str) -> str:
    row = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', html, re.S)
    assert row, f"no row {attribute}={value}"
    cell = re.search(rf'data-testid="{testid}">([^<]*)<', row.group(1))
    assert cell, f"no cell {testid} in row {value}"
    return cell.group(1).strip()


def _status_cells(html: str, status: str) -> list[str]:
    row = re.search(rf'<tr data-status="{status}">(.*?)</tr>', html, re.S)
    assert row, status
    return re.findall(r'<td class="num"[^>]*>(\d+)</td>', row.group(1))


def _gap_references(html: str) -> list[str]:
    return re.findall(r'<tr data-reference="([^"]+)"', html)


def _read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- who may open the pages ---------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")


@pytest.mark.parametrize("name", PAGES)
def test_suppliers_and_requesters_are_refused(client, cast, name):
    refused = (
        cast.supplier_a,
        cast.supplier_b,
        cast.supplier_listx,
        cast.supplier_unverified,
        cast.requester_x,
        cast.requester_y,
    )
    for user in refused:
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403, (name, user)
    assert not ExportRecord.objects.exists()
    client.force_login(cast.staff)
    assert client.get(reverse(name)).status_code == 200


def test_the_dashboard_only_answers_get(client, cast):
    client.force_login(cast.staff)
    assert client.post(reverse("staff:dashboard")).status_code == 405


# --- the dashboard's figures on data built here -------------------------------------------


def test_counts_by_status_and_priority(client, cast):
    for status, priority, n in [
        ("SUBMITTED", "CRITICAL", 2),
        ("SUBMITTED", "ROUTINE", 1),
        ("OPEN", "HIGH", 3),
        ("SHORTLISTED", "CRITICAL", 1),
        ("REJECTED", "ROUTINE", 1),
    ]:
        factories.RequirementFactory.create_batch(n, status=status, priority=priority)
    factories.CapabilityFactory.create_batch(2)
    factories.CapabilityFactory(active=False, firm=cast.firm_unverified)
    client.force_login(cast.staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    # columns: Critical, High, Routine, Total
    assert _status_cells(html, "SUBMITTED") == ["2", "0", "1", "3"]
    assert _status_cells(html, "TRIAGED") == ["0", "0", "0", "0"]
    assert _status_cells(html, "OPEN") == ["0", "3", "0", "3"]
    assert _status_cells(html, "SHORTLISTED") == ["1", "0", "0", "1"]
    assert _status_cells(html, "REJECTED") == ["0", "0", "1", "1"]
    assert _status_cells(html, "ALL") == ["3", "3", "2", "8"]
    assert re.search(r'data-testid="active-requirements">4<', html)
    # cast: firms A, B, List X verified; the two capabilities' own firms are verified too.
    assert re.search(r'data-testid="verified-firms">5<', html)
    assert re.search(r'data-testid="active-capabilities">2<', html)


def test_the_status_chart_and_its_table_say_the_same(client, cast):
    factories.RequirementFactory(status="OPEN", priority="HIGH")
    client.force_login(cast.staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    chart = re.search(
        r'<figure class="chart" data-testid="status-chart">(.*?)</figure>', html, re.S
    )
    assert chart
    assert chart.group(1).count("<svg") == 1
    assert 'aria-labelledby="status-caption"' in chart.group(1)
    assert '<figcaption id="status-caption">' in chart.group(1)
    assert "<script" not in html.split("<main", 1)[1]
    # Text stays text in the SVG (fonttype none), so the status labels are in the markup.
    for label in ("Submitted", "Open", "Shortlisted", "Critical", "High", "Routine"):
        assert f">{label}</text>" in chart.group(1), label


def _requirement_through_the_flow(
    reference: str, created: int, opened: int, scored: int, shortlisted: int | None, staff
) -> Requirement:
    with time_machine.travel(at(created), tick=False):
        requirement = requirement_services.requirement_create(
            by=staff,
            reference=reference,
            title="Interceptor drones against Shahed-type attack drones",
            description="Fast quadcopter interceptors to defend energy sites at night.",
            category_id="UAS.INTERCEPTOR",
            quantity=100,
            unit="units",
            needed_by=dt.date(2026, 12, 1),
            min_trl=6,
            priority="CRITICAL",
            classification="OFFICIAL",
        )
    for day, to in ((created + 1, "TRIAGED"), (opened, "OPEN")):
        with time_machine.travel(at(day), tick=False):
            requirement_services.requirement_transition(requirement=requirement, to=to, by=staff)
    with time_machine.travel(at(scored), tick=False):
        requirement_rescore(requirement_id=requirement.pk)
    if shortlisted is not None:
        with time_machine.travel(at(shortlisted), tick=False):
            requirement_services.requirement_transition(
                requirement=requirement, to="SHORTLISTED", by=staff, via_shortlist=True
            )
    return requirement


def test_median_days_to_first_eligible_match_and_to_shortlist(client, cast):
    factories.CapabilityFactory()
    one = _requirement_through_the_flow("UA-T-1", 1, 3, 6, 11, cast.staff)
    two = _requirement_through_the_flow("UA-T-2", 2, 4, 9, 22, cast.staff)
    three = _requirement_through_the_flow("UA-T-3", 10, 11, 12, None, cast.staff)
    # A rescore a week later does not move the first match.
    with time_machine.travel(at(20), tick=False):
        requirement_rescore(requirement_id=three.pk)
    for requirement in (one, two, three):
        requirement.refresh_from_db()
    assert [r.first_eligible_at for r in (one, two, three)] == [at(6), at(9), at(12)]
    # A requirement never matched counts in neither figure.
    factories.RequirementFactory(status="SUBMITTED")
    client.force_login(cast.staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    # first eligible: 5, 7 and 2 days; shortlist: 10 and 20 days
    assert _cell(html, "data-milestone", "first-eligible", "median") == "5.0"
    assert _cell(html, "data-milestone", "first-eligible", "reached") == "3"
    assert _cell(html, "data-milestone", "shortlist", "median") == "15.0"
    assert _cell(html, "data-milestone", "shortlist", "reached") == "2"


def test_without_milestones_the_medians_are_dashes(client, cast):
    factories.RequirementFactory(status="SUBMITTED")
    client.force_login(cast.staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert _cell(html, "data-milestone", "first-eligible", "median") == "–"
    assert _cell(html, "data-milestone", "shortlist", "reached") == "0"
    assert "No field reports have been filed yet." in html


def test_field_report_ratings_per_month(client, cast):
    capability = factories.CapabilityFactory()
    for day, rating in [
        (dt.date(2026, 1, 5), 4),
        (dt.date(2026, 1, 30), 5),
        (dt.date(2026, 3, 1), 2),
        (dt.date(2026, 3, 31), 3),
        (dt.date(2026, 3, 15), 3),
    ]:
        factories.FieldReportFactory(capability=capability, rating=rating, reported_on=day)
    client.force_login(cast.staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    months = re.findall(r'<tr data-month="([\d-]+)">', html)
    assert months == ["2026-01", "2026-02", "2026-03"]
    assert [_cell(html, "data-month", m, "count") for m in months] == ["2", "0", "3"]
    assert [_cell(html, "data-month", m, "mean") for m in months] == ["4.50", "–", "2.67"]
    assert "January 2026" in html
    chart = re.search(r'data-testid="ratings-chart">(.*?)</figure>', html, re.S)
    assert chart
    assert chart.group(1).count("<svg") == 1
    assert '<figcaption id="ratings-caption">' in chart.group(1)
    assert html.count("<svg") == 2
    # Two charts on one page: well-formed SVG, no id used twice, nothing a strict
    # Content-Security-Policy would refuse (inline style attributes or elements, scripts).
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        ElementTree.fromstring(svg)  # noqa: S314 - our own markup
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    main = html.split("<main", 1)[1]
    assert " style=" not in main
    assert "<style" not in main
    assert "<script" not in main


def test_the_dashboard_in_ukrainian(client, cast):
    factories.RequirementFactory(status="OPEN")
    client.force_login(cast.staff)
    client.cookies["django_language"] = "uk"
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert '<html lang="uk">' in html
    with translation.override("uk"):
        open_label = str(Status.OPEN.label)
    assert f">{open_label}</th>" in html


def test_the_dashboard_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    factories.RequirementFactory.create_batch(20, status="OPEN")
    factories.FieldReportFactory.create_batch(5)
    client.force_login(cast.staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("staff:dashboard")).status_code == 200


# --- capability gaps on data built here ----------------------------------------------------


@pytest.fixture
def gaps(cast):
    """Five capabilities of TRL 5 to 9, so a requirement's minimum TRL sets its eligible count."""
    for trl in (5, 6, 7, 8, 9):
        factories.CapabilityFactory(trl=trl, firm=cast.firm_a)

    def requirement(reference, min_trl, **fields):
        made = factories.RequirementFactory(reference=reference, min_trl=min_trl, **fields)
        requirement_rescore(requirement_id=made.pk)
        return made

    made = {
        "none": requirement("GAP-NONE", 9, required_certifications=["AS9100"]),
        "one": requirement("GAP-ONE", 9, priority="ROUTINE"),
        "two": requirement("GAP-TWO", 8, priority="HIGH"),
        "three": requirement("FULL-THREE", 7),
        "jammer": requirement(
            "GAP-JAM", 9, category=factories.category("EW.JAMMER"), status="SHORTLISTED"
        ),
    }
    # Inactive requirements are no gap whatever their matches.
    factories.RequirementFactory(reference="NOT-ACTIVE", status="TRIAGED")
    factories.RequirementFactory(reference="NOT-ACTIVE-2", status="FULFILLED")
    return made


def _eligible(requirement) -> int:
    return Match.objects.filter(requirement=requirement, removed=False, eligible=True).count()


def test_gaps_lists_active_requirements_with_fewer_than_three_eligible(client, cast, gaps):
    assert [_eligible(gaps[k]) for k in ("none", "one", "two", "three", "jammer")] == [
        0,
        1,
        2,
        3,
        1,
    ]
    client.force_login(cast.staff)
    html = client.get(reverse("staff:gaps")).content.decode()
    # Biggest category first; inside it, priority then fewest eligible.
    assert _gap_references(html) == ["GAP-NONE", "GAP-TWO", "GAP-ONE", "GAP-JAM"]
    assert [_cell(html, "data-reference", r, "eligible") for r in _gap_references(html)] == [
        "0",
        "2",
        "1",
        "1",
    ]
    assert '<span data-category="UAS.INTERCEPTOR">3</span>' in html
    assert '<span data-category="EW.JAMMER">1</span>' in html
    label = factories.category("UAS.INTERCEPTOR").label_en
    assert f"{label} (3)</h2>" in html
    assert "4 requirements have fewer than three eligible matches." in html
    assert reverse("staff:requirement", args=["GAP-NONE"]) in html


def test_a_removed_match_is_not_an_eligible_one(client, cast, gaps):
    first = Match.objects.filter(requirement=gaps["three"], eligible=True).order_by("id")[0]
    Match.objects.filter(pk=first.pk).update(removed=True)
    client.force_login(cast.staff)
    html = client.get(reverse("staff:gaps")).content.decode()
    assert "FULL-THREE" in _gap_references(html)
    assert _cell(html, "data-reference", "FULL-THREE", "eligible") == "2"


def test_no_gaps_says_so(client, cast):
    factories.RequirementFactory(status="SUBMITTED")
    client.force_login(cast.staff)
    html = client.get(reverse("staff:gaps")).content.decode()
    assert 'data-testid="no-gaps"' in html
    rows = _read_csv(client.get(reverse("staff:gaps-csv"), {"language": "en"}))
    assert len(rows) == 1


def test_gaps_category_labels_follow_the_language(client, cast, gaps):
    client.force_login(cast.staff)
    client.cookies["django_language"] = "uk"
    html = client.get(reverse("staff:gaps")).content.decode()
    label_uk = factories.category("EW.JAMMER").label_uk
    assert f">{label_uk}</a>" in html


def test_gaps_csv_in_english(client, cast, gaps):
    Requirement.objects.filter(pk=gaps["one"].pk).update(title='=HYPERLINK("http://x")')
    client.force_login(cast.staff)
    response = client.get(reverse("staff:gaps-csv"), {"language": "en"})
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('-en.csv"')
    rows = _read_csv(response)
    assert rows[0] == [
        "Category",
        "Category code",
        "Requirements in category",
        "Reference",
        "Title",
        "Priority",
        "Classification",
        "Needed by",
        "Eligible matches",
    ]
    body = rows[1:]
    assert [row[3] for row in body] == ["GAP-NONE", "GAP-TWO", "GAP-ONE", "GAP-JAM"]
    interceptor = factories.category("UAS.INTERCEPTOR").label_en
    assert body[0][:3] == [interceptor, "UAS.INTERCEPTOR", "3"]
    assert body[0][5:] == [
        "Critical",
        "OFFICIAL",
        gaps["none"].needed_by.isoformat(),
        "0",
    ]
    assert body[1][5] == "High"
    assert body[1][8] == "2"
    # A title that would run as a formula is neutralised by staff.exports.safe_cell.
    assert body[2][4] == '\'=HYPERLINK("http://x")'
    assert body[3][1:3] == ["EW.JAMMER", "1"]
    # Every export lands in the audit log staff read: who, what, when, language, rows.
    record = ExportRecord.objects.get()
    assert (record.by, record.kind, record.format, record.language, record.row_count) == (
        cast.staff,
        "GAPS",
        "CSV",
        "en",
        4,
    )
    assert record.requirement is None


def test_gaps_csv_in_ukrainian(client, cast, gaps):
    Requirement.objects.filter(pk=gaps["none"].pk).update(title_uk="Дрони-перехоплювачі")
    client.force_login(cast.staff)
    rows = _read_csv(client.get(reverse("staff:gaps-csv"), {"language": "uk"}))
    with translation.override("uk"):
        expected_header = [
            translation.gettext(h)
            for h in ("Category", "Reference", "Title", "Priority", "Eligible matches")
        ]
        critical = translation.gettext("Critical")
    assert [rows[0][i] for i in (0, 3, 4, 5, 8)] == expected_header
    first = rows[1]
    assert first[0] == factories.category("UAS.INTERCEPTOR").label_uk
    assert first[3] == "GAP-NONE"
    assert first[4] == "Дрони-перехоплювачі"
    assert first[5] == critical
    assert ExportRecord.objects.get().language == "uk"


def test_gaps_csv_follows_the_page_language_by_default(client, cast, gaps):
    client.force_login(cast.staff)
    client.cookies["django_language"] = "uk"
    response = client.get(reverse("staff:gaps-csv"))
    assert response["Content-Disposition"].endswith('-uk.csv"')
    assert _read_csv(response)[1][0] == factories.category("UAS.INTERCEPTOR").label_uk


def test_gaps_query_count_does_not_grow(client, cast, gaps, django_assert_max_num_queries):
    factories.RequirementFactory.create_batch(15, status="OPEN")
    client.force_login(cast.staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("staff:gaps")).status_code == 200
    # 7: one of them loads the staff member's second-factor device (django-otp, issue 7).
    with django_assert_max_num_queries(7):
        assert client.get(reverse("staff:gaps-csv")).status_code == 200


# --- the demo data set ---------------------------------------------------------------------


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("rematch", "--sync", stdout=io.StringIO())


def test_demo_counts_match_the_demo_data(client, demo):
    staff = factories.StaffFactory()
    client.force_login(staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    expected = Counter(r.status for r in demo_data.REQUIREMENTS)
    for status in ("SUBMITTED", "TRIAGED", "OPEN", "SHORTLISTED", "FULFILLED", "CLOSED"):
        assert _status_cells(html, status)[-1] == str(expected[status]), status
    assert _status_cells(html, "REJECTED")[-1] == str(expected["REJECTED"])
    assert _status_cells(html, "ALL")[-1] == str(len(demo_data.REQUIREMENTS)) == "15"
    by_priority = Counter(r.priority for r in demo_data.REQUIREMENTS)
    assert _status_cells(html, "ALL")[:3] == [
        str(by_priority[p]) for p in ("CRITICAL", "HIGH", "ROUTINE")
    ]
    active = expected["OPEN"] + expected["SHORTLISTED"]
    verified = sum(1 for f in demo_data.FIRMS if f.state == "VERIFIED")
    capabilities = sum(1 for f in demo_data.FIRMS for c in f.capabilities if c.active)
    assert re.search(rf'data-testid="active-requirements">{active}<', html)
    assert re.search(rf'data-testid="verified-firms">{verified}<', html)
    assert re.search(rf'data-testid="active-capabilities">{capabilities}<', html)
    assert html.count("<svg") == 2


def test_demo_timings_follow_the_seeded_history(client, demo):
    # seed_demo spreads each requirement's transitions evenly over the days since it was
    # submitted: UA-2026-0103 (45 days, 4 steps) was shortlisted after 33.75 days and
    # UA-2026-0113 (90 days, 5 steps) after 54.
    client.force_login(factories.StaffFactory())
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert _cell(html, "data-milestone", "shortlist", "median") == "43.9"
    assert _cell(html, "data-milestone", "shortlist", "reached") == "2"
    # The first eligible match is stamped by the rematch just now, so each active requirement
    # that has one waited about as long as it has been submitted.
    ago = {r.reference: r.submitted_days_ago for r in demo_data.REQUIREMENTS}
    matched = Requirement.objects.filter(first_eligible_at__isnull=False)
    assert set(matched.values_list("status", flat=True)) <= {"OPEN", "SHORTLISTED"}
    spans = [ago[r] for r in matched.values_list("reference", flat=True)]
    assert spans
    assert _cell(html, "data-milestone", "first-eligible", "reached") == str(len(spans))
    shown = float(_cell(html, "data-milestone", "first-eligible", "median"))
    assert shown == pytest.approx(median(spans), abs=0.15)


def test_demo_ratings_follow_the_demo_reports(client, demo):
    today = kyiv_today()
    expected: dict[str, list[int]] = {}
    for report in demo_data.FIELD_REPORTS:
        day = today - dt.timedelta(days=report.days_ago)
        expected.setdefault(day.strftime("%Y-%m"), []).append(report.rating)
    client.force_login(factories.StaffFactory())
    html = client.get(reverse("staff:dashboard")).content.decode()
    months = re.findall(r'<tr data-month="([\d-]+)">', html)
    assert months == sorted(expected)  # the reports span at most two adjacent months
    for month, ratings in expected.items():
        assert _cell(html, "data-month", month, "count") == str(len(ratings))
        assert _cell(html, "data-month", month, "mean") == f"{sum(ratings) / len(ratings):.2f}"


def test_demo_gaps_are_exactly_the_thin_active_requirements(client, demo):
    # One more need no demo firm can meet yet, through the real flow and a real rescore.
    staff = factories.StaffFactory()
    unmet = requirement_services.requirement_create(
        by=staff,
        reference="UA-2026-0199",
        title="Unmanned underwater vehicles for harbour clearance",
        description="Autonomous underwater vehicles that find and clear sea mines in harbours.",
        category_id="MAR.UUV",
        quantity=10,
        unit="vehicles",
        needed_by=kyiv_today() + dt.timedelta(days=14),
        min_trl=9,
        required_certifications=["AS9100", "JOSCAR"],
        priority="CRITICAL",
        classification="OFFICIAL",
    )
    for to in ("TRIAGED", "OPEN"):
        requirement_services.requirement_transition(requirement=unmet, to=to, by=staff)
    requirement_rescore(requirement_id=unmet.pk)
    assert _eligible(unmet) == 0
    thin = sorted(
        r.reference
        for r in Requirement.objects.filter(status__in=["OPEN", "SHORTLISTED"])
        if _eligible(r) < 3
    )
    assert "UA-2026-0199" in thin
    client.force_login(staff)
    html = client.get(reverse("staff:gaps")).content.decode()
    assert sorted(_gap_references(html)) == thin
    rows = _read_csv(client.get(reverse("staff:gaps-csv"), {"language": "en"}))
    assert sorted(row[3] for row in rows[1:]) == thin
    for row in rows[1:]:
        requirement = Requirement.objects.get(reference=row[3])
        assert row[1] == requirement.category_id
        assert row[8] == str(_eligible(requirement))
    # And every active requirement left out has at least three.
    for requirement in Requirement.objects.filter(status__in=["OPEN", "SHORTLISTED"]):
        if requirement.reference not in thin:
            assert _eligible(requirement) >= 3
