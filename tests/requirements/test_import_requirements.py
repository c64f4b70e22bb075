from __future__ import annotations

import copy
import datetime as dt
import io
import json
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command

from matching.models import Match
from requirements.models import Requirement, RequirementTransition
from tests import factories

pytestmark = pytest.mark.django_db
# Noon in Kyiv on 24 November 2026: "today" for every test here.
KYIV_NOON = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
ACTOR = "import_requirements"

# The contract's example file (shared/examples/requirements.json), verbatim.
EXAMPLE = {
    "requirements": [
        {
            "reference": "UA-BAR-0001",
            "title": "Interceptor drones against Shahed-type attack drones",
            "description": (
                "Fast quadcopter interceptors to defend energy sites from one-way attack drones "
                "at night."
            ),
            "category": "UAS.INTERCEPTOR",
            "quantity": 1000,
            "unit": "units",
            "needed_by": "2028-06-01",
            "max_unit_price_gbp": 5000,
            "min_trl": 6,
            "required_certifications": [],
            "itar_free_required": True,
            "priority": "CRITICAL",
            "classification": "OFFICIAL",
            "status": "OPEN",
            "source_organisation": "Air Force Command",
        },
        {
            "reference": "UA-2026-0007",
            "title": "Generators for frontline hospitals",
            "description": "Trailer generators of 100-200 kVA to keep surgical theatres running "
            "through grid outages.",
            "category": "ENERGY.GENERATION",
            "quantity": 40,
            "unit": "units",
            "needed_by": "2028-03-15",
            "max_unit_price_gbp": None,
            "min_trl": 8,
            "required_certifications": ["ISO9001"],
            "itar_free_required": False,
            "priority": "HIGH",
            "classification": "OFFICIAL",
            "source_organisation": "Medical Forces Command",
        },
    ]
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(KYIV_NOON, tick=False) as traveller:
        yield traveller


def example() -> dict:
    return copy.deepcopy(EXAMPLE)


def requirement(**overrides) -> dict:
    record = copy.deepcopy(EXAMPLE["requirements"][1])
    record.update(overrides)
    return record


def run(tmp_path, payload) -> tuple[int, str, list[str]]:
    """Run the command on a dict or raw text; return exit status, stdout and stderr lines."""
    path = tmp_path / "requirements.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_requirements", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue().splitlines()
    return 0, out.getvalue().strip(), err.getvalue().splitlines()


def snapshot() -> tuple:
    return (
        list(Requirement.objects.order_by("pk").values()),
        list(RequirementTransition.objects.order_by("pk").values()),
    )


def history(reference: str) -> list[tuple]:
    return list(
        RequirementTransition.objects.filter(requirement__reference=reference)
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "actor", "by")
    )


def test_the_example_file_loads_with_every_field(tmp_path):
    code, out, err = run(tmp_path, example())

    assert (code, err) == (0, [])
    assert out == "requirements: 2 created, 0 updated"
    interceptors = Requirement.objects.get(reference="UA-BAR-0001")
    assert (interceptors.status, interceptors.category_id, interceptors.quantity) == (
        "OPEN",
        "UAS.INTERCEPTOR",
        1000,
    )
    assert interceptors.max_unit_price_gbp == Decimal("5000")
    assert interceptors.needed_by == dt.date(2028, 6, 1)
    assert (interceptors.itar_free_required, interceptors.priority) == (True, "CRITICAL")
    assert interceptors.source_organisation == "Air Force Command"
    generators = Requirement.objects.get(reference="UA-2026-0007")
    assert (generators.status, generators.max_unit_price_gbp) == ("SUBMITTED", None)
    assert generators.required_certifications == ["ISO9001"]
    assert generators.requesting_organisation is None


def test_every_imported_requirement_records_its_first_status(tmp_path):
    run(tmp_path, example())

    assert history("UA-BAR-0001") == [("", "OPEN", ACTOR, None)]
    assert history("UA-2026-0007") == [("", "SUBMITTED", ACTOR, None)]


def test_an_imported_open_requirement_is_matched_and_a_submitted_one_is_not(tmp_path):
    with mock.patch("requirements.importers.rescore_requirements_on_commit") as rescore:
        run(tmp_path, example())

    opened = Requirement.objects.get(reference="UA-BAR-0001")
    assert list(rescore.call_args.args[0]) == [opened.pk]


def test_an_imported_open_requirement_is_matched_once_the_import_commits(
    tmp_path, django_capture_on_commit_callbacks
):
    capability = factories.CapabilityFactory(reference="SR-Q4")

    with django_capture_on_commit_callbacks(execute=True):
        run(tmp_path, example())

    opened = Requirement.objects.get(reference="UA-BAR-0001")
    assert Match.objects.filter(requirement=opened, capability=capability).exists()
    assert not Match.objects.filter(requirement__reference="UA-2026-0007").exists()


def test_reimport_is_idempotent(tmp_path):
    assert run(tmp_path, example())[0] == 0
    before = snapshot()

    code, out, _ = run(tmp_path, example())

    assert code == 0
    assert out == "requirements: 0 created, 0 updated"
    assert snapshot() == before


def test_reimport_replaces_present_fields_and_keeps_absent_ones(tmp_path, clock):
    assert run(tmp_path, example())[0] == 0
    stored = Requirement.objects.get(reference="UA-BAR-0001")
    clock.shift(dt.timedelta(minutes=5))

    with mock.patch("requirements.importers.rescore_requirements_on_commit") as rescore:
        code, out, _ = run(
            tmp_path,
            {
                "requirements": [
                    {
                        "reference": "UA-BAR-0001",
                        "quantity": 1500,
                        "max_unit_price_gbp": None,
                        "required_certifications": ["AS9100"],
                    },
                ]
            },
        )

    assert code == 0
    assert out == "requirements: 0 created, 1 updated"
    updated = Requirement.objects.get(pk=stored.pk)
    assert (updated.quantity, updated.max_unit_price_gbp) == (1500, None)
    assert updated.required_certifications == ["AS9100"]
    assert (updated.title, updated.status, updated.min_trl) == (stored.title, "OPEN", 6)
    assert updated.updated_at > stored.updated_at
    # Edited while active: rescored.
    assert list(rescore.call_args.args[0]) == [stored.pk]


def test_a_legal_status_change_records_a_transition(tmp_path):
    factories.RequirementFactory(reference="UA-2026-0007", status="OPEN")

    code, out, _ = run(
        tmp_path,
        {
            "requirements": [
                {"reference": "UA-2026-0007", "status": "SHORTLISTED"},
            ]
        },
    )

    assert code == 0
    assert out == "requirements: 0 created, 1 updated"
    assert Requirement.objects.get().status == "SHORTLISTED"
    assert history("UA-2026-0007") == [("OPEN", "SHORTLISTED", ACTOR, None)]


def test_an_illegal_status_change_on_reimport_is_refused(tmp_path):
    factories.RequirementFactory(reference="UA-2026-0007", status="OPEN")
    before = snapshot()

    code, _, err = run(
        tmp_path,
        {
            "requirements": [
                {"reference": "UA-2026-0007", "status": "SUBMITTED", "quantity": 5},
            ]
        },
    )

    assert code == 1
    assert err == [
        "requirement 1 (UA-2026-0007): status: cannot move from OPEN to SUBMITTED; "
        "allowed: SHORTLISTED, CLOSED"
    ]
    assert snapshot() == before


def test_a_final_status_cannot_change(tmp_path):
    factories.RequirementFactory(reference="UA-2026-0007", status="FULFILLED")

    code, _, err = run(
        tmp_path, {"requirements": [{"reference": "UA-2026-0007", "status": "OPEN"}]}
    )

    assert code == 1
    assert err[0].endswith("cannot move from FULFILLED to OPEN; allowed: none (final status)")


def test_needed_by_in_the_past_is_refused_for_a_new_submitted_requirement(tmp_path):
    code, _, err = run(
        tmp_path,
        {
            "requirements": [
                requirement(),
                requirement(reference="UA-2026-0009", needed_by="2026-11-24"),
            ]
        },
    )

    assert code == 1
    assert err == [
        "requirement 2 (UA-2026-0009): needed_by: must be a future date for a new requirement"
    ]
    assert not Requirement.objects.exists()


def test_needed_by_in_the_past_is_fine_for_a_new_fulfilled_requirement(tmp_path):
    code, _, err = run(
        tmp_path,
        {
            "requirements": [
                requirement(needed_by="2025-01-10", status="FULFILLED"),
            ]
        },
    )

    assert (code, err) == (0, [])
    assert Requirement.objects.get().status == "FULFILLED"
    assert history("UA-2026-0007") == [("", "FULFILLED", ACTOR, None)]


def test_needed_by_in_the_past_is_fine_for_a_stored_requirement(tmp_path):
    factories.RequirementFactory(reference="UA-2026-0007", status="TRIAGED")

    code, _, _ = run(
        tmp_path,
        {
            "requirements": [
                {"reference": "UA-2026-0007", "needed_by": "2026-10-01"},
            ]
        },
    )

    assert code == 0
    assert Requirement.objects.get().needed_by == dt.date(2026, 10, 1)


def test_an_open_requirement_needs_english_wording(tmp_path):
    ukrainian_only = requirement(
        title=None,
        description=None,
        title_uk="Генератори",
        description_uk="Генератори для шпиталів",
    )

    rejected = run(tmp_path, {"requirements": [{**ukrainian_only, "status": "OPEN"}]})
    accepted = run(tmp_path, {"requirements": [ukrainian_only]})

    assert rejected[0] == 1
    assert rejected[2] == [
        "requirement 1 (UA-2026-0007): title: an English title and description are required "
        "before a requirement opens"
    ]
    assert accepted[0] == 0
    assert Requirement.objects.get().title_uk == "Генератори"


def test_a_title_in_some_language_is_required(tmp_path):
    record = requirement()
    del record["title"]

    code, _, err = run(tmp_path, {"requirements": [record]})

    assert code == 1
    assert err == [
        "requirement 1 (UA-2026-0007): title: a title in English or Ukrainian is required"
    ]


def test_the_requesting_organisation_is_a_known_slug(tmp_path):
    factories.OrganisationFactory(slug="medical-forces")

    bad = run(tmp_path, {"requirements": [requirement(requesting_organisation="nobody")]})
    good = run(tmp_path, {"requirements": [requirement(requesting_organisation="medical-forces")]})

    assert bad[0] == 1
    assert bad[2][0].startswith("requirement 1 (UA-2026-0007): requesting_organisation: unknown")
    assert good[0] == 0
    assert Requirement.objects.get().requesting_organisation_id == "medical-forces"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"quantity": -5}, "quantity: must be at least 1"),
        ({"quantity": "40"}, "quantity: must be a whole number"),
        ({"min_trl": 0}, "min_trl: must be between 1 and 9"),
        ({"max_unit_price_gbp": "5000"}, "max_unit_price_gbp: must be a number of pounds"),
        ({"max_unit_price_gbp": -1}, "max_unit_price_gbp: must not be negative"),
        ({"needed_by": "01/06/2028"}, "needed_by: must be a date written YYYY-MM-DD"),
        ({"needed_by": "2028-02-30"}, "needed_by: must be a date written YYYY-MM-DD"),
        ({"priority": "URGENT"}, "priority: must be one of CRITICAL, HIGH, ROUTINE"),
        ({"classification": "SECRET"}, "classification: must be one of OFFICIAL"),
        ({"status": "DONE"}, "status: must be one of SUBMITTED"),
        ({"required_certifications": ["LIST_X"]}, "required_certifications: unknown certification"),
        (
            {"category": "ENERGY"},
            "category: is a parent category; use a child code such as ENERGY.GENERATION",
        ),
        ({"category": "ENERGY.NUCLEAR"}, "category: unknown category code 'ENERGY.NUCLEAR'"),
        ({"unit": None}, "unit: is required"),
        ({"duplicate_of": "UA-2026-0001"}, "duplicate_of: unknown field"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_written(tmp_path, overrides, expected):
    code, _, err = run(
        tmp_path,
        {"requirements": [requirement(), requirement(reference="UA-2026-0008", **overrides)]},
    )

    assert code == 1
    assert len(err) == 1
    assert err[0].startswith(f"requirement 2 (UA-2026-0008): {expected}")
    assert not Requirement.objects.exists()


def test_a_missing_required_field_is_named(tmp_path):
    record = requirement()
    del record["min_trl"]

    code, _, err = run(tmp_path, {"requirements": [record]})

    assert code == 1
    assert err == ["requirement 1 (UA-2026-0007): min_trl: is required"]


def test_a_duplicate_reference_inside_one_file_is_an_error(tmp_path):
    code, _, err = run(tmp_path, {"requirements": [requirement(), requirement()]})

    assert code == 1
    assert err == [
        "requirement 2 (UA-2026-0007): reference: duplicate of requirement 1 in this file"
    ]


def test_more_than_twenty_problems_are_capped(tmp_path):
    records = [requirement(reference=f"UA-{n}", quantity=0, min_trl=10) for n in range(15)]

    code, _, err = run(tmp_path, {"requirements": records})

    assert code == 1
    assert len(err) == 21
    assert err[:2] == [
        "requirement 1 (UA-0): quantity: must be at least 1",
        "requirement 1 (UA-0): min_trl: must be between 1 and 9",
    ]
    assert err[-1] == "... and 10 more problems"


def test_a_file_that_is_not_a_requirement_file_exits_1(tmp_path):
    code, _, err = run(tmp_path, '{"firms": []}')

    assert code == 1
    assert err == ['the file must hold one JSON object {"requirements": [...]}']
