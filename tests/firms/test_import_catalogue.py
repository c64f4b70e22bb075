from __future__ import annotations

import copy
import datetime as dt
import io
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from firms.models import Capability, Firm, FirmCertification
from matching.models import Match
from tests import factories

pytestmark = pytest.mark.django_db
# The contract's example file (shared/examples/catalogue.json), verbatim.
EXAMPLE = {
    "firms": [
        {
            "companies_house_number": "12345678",
            "name": "Severn Rotorcraft Ltd",
            "postcode": "GL1 2EH",
            "employees": 38,
            "annual_turnover_gbp": 4200000,
            "website": "https://severn-rotorcraft.example",
            "certifications": ["ISO9001"],
            "list_x": False,
            "description": "Small Gloucestershire workshop building quadcopter airframes and "
            "launch rails.",
            "capabilities": [
                {
                    "reference": "SR-Q4",
                    "name": "Quad interceptor airframe",
                    "description": "Carbon quadcopter airframe for high-speed "
                    "pursuit of one-way attack drones.",
                    "category": "UAS.INTERCEPTOR",
                    "trl": 7,
                    "unit_price_gbp": 1800,
                    "monthly_capacity": 400,
                    "lead_time_weeks": 5,
                    "control_rating": "ML10",
                    "licence_status": "SIEL_HELD",
                    "itar_free": True,
                    "field_proven": False,
                    "keywords": ["interceptor", "shahed"],
                    "active": True,
                }
            ],
        },
        {
            "companies_house_number": "SC123456",
            "name": "Forth Power Systems Ltd",
            "postcode": "EH6 6QW",
            "employees": 120,
            "annual_turnover_gbp": 21000000,
            "website": "https://forth-power.example",
            "certifications": ["ISO9001", "CYBER_ESSENTIALS"],
            "list_x": False,
            "description": "Trailer-mounted diesel generators and containerised battery storage.",
            "capabilities": [
                {
                    "reference": "FPS-G150",
                    "name": "150 kVA trailer generator",
                    "description": "Diesel generator set on a road trailer for "
                    "substations and hospitals.",
                    "category": "ENERGY.GENERATION",
                    "trl": 9,
                    "unit_price_gbp": 38000,
                    "monthly_capacity": 25,
                    "lead_time_weeks": 8,
                    "control_rating": "NLR",
                    "licence_status": "NOT_REQUIRED",
                    "itar_free": True,
                    "field_proven": True,
                    "keywords": ["genset", "diesel"],
                    "active": True,
                }
            ],
        },
    ]
}


def example() -> dict:
    return copy.deepcopy(EXAMPLE)


def capability(**overrides) -> dict:
    record = {
        "reference": "SR-Q4",
        "name": "Quad interceptor airframe",
        "category": "UAS.INTERCEPTOR",
        "trl": 7,
        "unit_price_gbp": 1800,
        "monthly_capacity": 400,
        "lead_time_weeks": 5,
        "control_rating": "ML10",
        "licence_status": "SIEL_HELD",
    }
    record.update(overrides)
    return record


def firm(number: str = "12345678", capabilities: list | None = None, **overrides) -> dict:
    record = {
        "companies_house_number": number,
        "name": "Severn Rotorcraft Ltd",
        "postcode": "GL1 2EH",
        "capabilities": capabilities or [],
    }
    record.update(overrides)
    return record


def run(tmp_path, payload) -> tuple[int, str, list[str]]:
    """Run the command on a dict or raw text; return exit status, stdout and stderr lines."""
    path = tmp_path / "catalogue.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_catalogue", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue().splitlines()
    return 0, out.getvalue().strip(), err.getvalue().splitlines()


def snapshot() -> tuple:
    return (
        list(Firm.objects.order_by("pk").values()),
        list(Capability.objects.order_by("pk").values()),
        list(FirmCertification.objects.order_by("pk").values()),
    )


def test_the_example_file_loads_with_every_field(tmp_path):
    code, out, err = run(tmp_path, example())

    assert (code, err) == (0, [])
    assert out == "firms: 2 created, 0 updated; capabilities: 2 created, 0 updated"
    forth = Firm.objects.get(companies_house_number="SC123456")
    assert (forth.name, forth.postcode, forth.employees) == (
        "Forth Power Systems Ltd",
        "EH6 6QW",
        120,
    )
    assert forth.annual_turnover_gbp == Decimal("21000000")
    assert forth.website == "https://forth-power.example"
    assert (forth.list_x, forth.verification_state) == (False, "UNVERIFIED")
    assert set(forth.certifications.values_list("code", "expires_on")) == {
        ("ISO9001", None),
        ("CYBER_ESSENTIALS", None),
    }
    generator = Capability.objects.get(firm=forth, reference="FPS-G150")
    assert generator.unit_price_gbp == Decimal("38000")
    assert (generator.category_id, generator.trl, generator.monthly_capacity) == (
        "ENERGY.GENERATION",
        9,
        25,
    )
    assert (generator.control_rating, generator.licence_status) == ("NLR", "NOT_REQUIRED")
    assert (generator.itar_free, generator.field_proven, generator.active) == (True, True, True)
    assert generator.keywords == ["genset", "diesel"]
    assert generator.updated_at is not None


def test_money_keeps_pence_exactly(tmp_path):
    code, _, _ = run(
        tmp_path,
        {
            "firms": [
                firm(capabilities=[capability(unit_price_gbp=0.1)], annual_turnover_gbp=4200000.55)
            ]
        },
    )

    assert code == 0
    assert Firm.objects.get().annual_turnover_gbp == Decimal("4200000.55")
    assert Capability.objects.get().unit_price_gbp == Decimal("0.10")


def test_optional_fields_take_their_defaults(tmp_path):
    record = capability(unit_price_gbp=None, keywords=None)
    code, _, _ = run(tmp_path, {"firms": [firm(capabilities=[record], postcode="gl12eh")]})

    assert code == 0
    stored = Capability.objects.get()
    assert (stored.unit_price_gbp, stored.keywords, stored.description) == (None, [], "")
    assert (stored.itar_free, stored.field_proven, stored.active) == (False, False, True)
    assert Firm.objects.get().postcode == "GL1 2EH"


def test_verified_true_verifies_and_false_changes_nothing(tmp_path):
    factories.FirmFactory(
        companies_house_number="12345678",
        verification_state="QUERIED",
        verification_note="Please send the certificate",
    )
    factories.FirmFactory(companies_house_number="SC123456", verification_state="VERIFIED")

    code, out, _ = run(
        tmp_path,
        {
            "firms": [
                {"companies_house_number": "12345678", "verified": True},
                {"companies_house_number": "SC123456", "verified": False},
            ]
        },
    )

    assert code == 0
    assert out.startswith("firms: 0 created, 1 updated;")
    queried = Firm.objects.get(companies_house_number="12345678")
    assert (queried.verification_state, queried.verification_note) == ("VERIFIED", "")
    assert queried.verified_at is not None
    assert Firm.objects.get(companies_house_number="SC123456").verification_state == "VERIFIED"


def test_a_new_firm_can_be_imported_verified_and_list_x(tmp_path):
    code, _, _ = run(tmp_path, {"firms": [firm(verified=True, list_x=True)]})

    assert code == 0
    stored = Firm.objects.get()
    assert (stored.verification_state, stored.list_x) == ("VERIFIED", True)
    assert stored.verified_at is not None


def test_reimport_is_idempotent(tmp_path):
    assert run(tmp_path, example())[0] == 0
    before = snapshot()

    code, out, _ = run(tmp_path, example())

    assert code == 0
    assert out == "firms: 0 created, 0 updated; capabilities: 0 created, 0 updated"
    assert snapshot() == before


def test_reimport_replaces_present_fields_and_keeps_absent_ones(tmp_path):
    assert run(tmp_path, example())[0] == 0
    stored = Capability.objects.get(reference="SR-Q4")
    partial = {
        "firms": [
            {
                "companies_house_number": "12345678",
                "employees": 41,
                "capabilities": [
                    {"reference": "SR-Q4", "monthly_capacity": 650, "unit_price_gbp": None}
                ],
            }
        ]
    }

    code, out, _ = run(tmp_path, partial)

    assert code == 0
    assert out == "firms: 0 created, 1 updated; capabilities: 0 created, 1 updated"
    updated = Capability.objects.get(pk=stored.pk)
    assert (updated.monthly_capacity, updated.unit_price_gbp) == (650, None)
    assert (updated.name, updated.trl, updated.keywords) == (
        stored.name,
        7,
        ["interceptor", "shahed"],
    )
    assert updated.updated_at > stored.updated_at
    severn = Firm.objects.get(companies_house_number="12345678")
    assert (severn.employees, severn.name) == (41, "Severn Rotorcraft Ltd")
    assert list(severn.certifications.values_list("code", flat=True)) == ["ISO9001"]
    assert Capability.objects.count() == 2


def test_reimport_changes_every_kind_of_column(tmp_path):
    assert run(tmp_path, example())[0] == 0
    changes = {
        "reference": "SR-Q4",
        "category": "CUAS.KINETIC",
        "keywords": ["kinetic", "net"],
        "unit_price_gbp": 1799.99,
        "control_rating": "NLR",
        "licence_status": "NOT_REQUIRED",
        "itar_free": False,
        "active": False,
        "description": None,
    }

    code, _, _ = run(tmp_path, {"firms": [firm(capabilities=[changes])]})

    assert code == 0
    stored = Capability.objects.get(reference="SR-Q4")
    assert (stored.category_id, stored.keywords) == ("CUAS.KINETIC", ["kinetic", "net"])
    assert stored.unit_price_gbp == Decimal("1799.99")
    assert (stored.control_rating, stored.licence_status) == ("NLR", "NOT_REQUIRED")
    assert (stored.itar_free, stored.active, stored.description) == (False, False, "")


def test_reimport_never_deletes_what_the_file_omits(tmp_path):
    assert run(tmp_path, example())[0] == 0

    code, _, _ = run(tmp_path, {"firms": [firm(capabilities=[capability(reference="SR-NEW")])]})

    assert code == 0
    assert Firm.objects.count() == 2
    assert set(Capability.objects.values_list("reference", flat=True)) == {
        "SR-Q4",
        "SR-NEW",
        "FPS-G150",
    }


def test_a_certification_list_replaces_the_set_and_keeps_expiry_of_codes_that_stay(tmp_path):
    severn = factories.FirmFactory(companies_house_number="12345678")
    factories.CertificationFactory(firm=severn, code="ISO9001", expires_on=dt.date(2030, 1, 1))
    factories.CertificationFactory(firm=severn, code="AS9100")
    kept = factories.CapabilityFactory(firm=severn)

    with mock.patch("firms.importers.catalogue.rescore_capabilities_on_commit") as rescore:
        code, out, _ = run(
            tmp_path,
            {
                "firms": [
                    {"companies_house_number": "12345678", "certifications": ["ISO9001", "JOSCAR"]},
                ]
            },
        )

    assert code == 0
    assert out == "firms: 0 created, 1 updated; capabilities: 0 created, 0 updated"
    assert dict(severn.certifications.values_list("code", "expires_on")) == {
        "ISO9001": dt.date(2030, 1, 1),
        "JOSCAR": None,
    }
    # A firm's certifications feed its capabilities' standing: they are rescored.
    rescore.assert_called_once_with([kept.pk])


def test_new_and_changed_capabilities_are_rescored(tmp_path):
    severn = factories.FirmFactory(companies_house_number="12345678")
    changed = factories.CapabilityFactory(firm=severn, reference="SR-Q4", trl=6)
    factories.CapabilityFactory(firm=severn, reference="SR-OLD")

    with mock.patch("firms.importers.catalogue.rescore_capabilities_on_commit") as rescore:
        code, _, _ = run(
            tmp_path,
            {
                "firms": [
                    firm(capabilities=[capability(), capability(reference="SR-Q5")]),
                ]
            },
        )

    assert code == 0
    new = Capability.objects.get(reference="SR-Q5")
    assert sorted(rescore.call_args.args[0]) == sorted([new.pk, changed.pk])


def test_imported_capabilities_are_matched_once_the_import_commits(
    tmp_path, django_capture_on_commit_callbacks
):
    requirement = factories.RequirementFactory(status="OPEN")

    with django_capture_on_commit_callbacks(execute=True):
        run(tmp_path, example())

    interceptor = Capability.objects.get(reference="SR-Q4")
    assert Match.objects.filter(requirement=requirement, capability=interceptor).exists()


def test_a_bad_companies_house_number_rejects_the_whole_file(tmp_path):
    factories.FirmFactory(companies_house_number="87654321", name="Kept Ltd")
    before = snapshot()
    payload = example()
    payload["firms"][1]["companies_house_number"] = "SC12345"

    code, out, err = run(tmp_path, payload)

    assert code == 1
    assert out == ""
    assert err == ["firm 2 (SC12345): companies_house_number: must be 8 characters"]
    assert snapshot() == before


def test_a_database_error_mid_write_leaves_nothing(tmp_path):
    with mock.patch.object(
        FirmCertification.objects, "bulk_create", side_effect=DatabaseError("disk full")
    ):
        code, _, err = run(tmp_path, example())

    assert code == 1
    assert "nothing was written" in err[0]
    assert not Firm.objects.exists()
    assert not Capability.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"firms": [', "is not valid JSON"),
        ('{"firms": [{"companies_house_number": NaN}]}', "is not valid JSON"),
        ('[{"companies_house_number": "12345678"}]', 'one JSON object {"firms": [...]}'),
        ('{"firms": {}}', 'one JSON object {"firms": [...]}'),
        ('{"firms": [], "firm": []}', "unknown top-level field 'firm'"),
    ],
)
def test_a_file_that_is_not_a_catalogue_exits_1(tmp_path, text, expected):
    code, _, err = run(tmp_path, text)

    assert code == 1
    assert len(err) == 1
    assert expected in err[0]
    assert not Firm.objects.exists()


def test_an_unreadable_file_exits_1(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_catalogue", str(tmp_path / "missing.json"), stdout=out, stderr=err)

    assert exit_.value.code == 1
    assert "cannot read" in err.getvalue()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"trl": None}, "trl: is required"),
        ({"trl": 10}, "trl: must be between 1 and 9"),
        ({"trl": "7"}, "trl: must be a whole number"),
        ({"trl": True}, "trl: must be a whole number"),
        ({"trl": 6.5}, "trl: must be a whole number"),
        ({"monthly_capacity": 0}, "monthly_capacity: must be at least 1"),
        ({"lead_time_weeks": -1}, "lead_time_weeks: must not be negative"),
        ({"unit_price_gbp": -1}, "unit_price_gbp: must not be negative"),
        ({"unit_price_gbp": "1800"}, "unit_price_gbp: must be a number of pounds"),
        ({"unit_price_gbp": True}, "unit_price_gbp: must be a number of pounds"),
        ({"unit_price_gbp": 10.005}, "unit_price_gbp: must have at most 2 decimal places"),
        ({"category": "UAS.NOPE"}, "category: unknown category code 'UAS.NOPE'"),
        ({"category": "UAS"}, "category: is a parent category; use a child code such as UAS.FPV"),
        ({"reference": "SR Q4"}, "reference: must be 1-64 letters, digits"),
        ({"control_rating": "ML99"}, "control_rating: must be NLR, ML1-ML22"),
        (
            {"control_rating": "NLR"},
            "licence_status: NLR (no licence required) goes only with NOT_REQUIRED",
        ),
        (
            {"licence_status": "NOT_REQUIRED"},
            "licence_status: a controlled rating needs a licence status other than NOT_REQUIRED",
        ),
        ({"licence_status": "MAYBE"}, "licence_status: must be one of NOT_REQUIRED"),
        ({"keywords": "interceptor"}, "keywords: must be a list of words or phrases"),
        ({"active": "yes"}, "active: must be true or false"),
        ({"licence_staus": "NONE"}, "licence_staus: unknown field; did you mean 'licence_status'?"),
    ],
)
def test_a_bad_capability_field_is_named(tmp_path, overrides, expected):
    payload = {"firms": [firm(capabilities=[capability(**overrides)])]}

    code, _, err = run(tmp_path, payload)

    reference = overrides.get("reference", "SR-Q4")
    assert code == 1
    assert len(err) == 1
    assert err[0].startswith(f"firm 1 (12345678) capability 1 ({reference}): {expected}")
    assert not Firm.objects.exists()


def test_a_missing_required_field_is_named(tmp_path):
    record = capability()
    del record["licence_status"]

    code, _, err = run(tmp_path, {"firms": [firm(capabilities=[record])]})

    assert code == 1
    assert err == ["firm 1 (12345678) capability 1 (SR-Q4): licence_status: is required"]


def test_a_firm_without_its_key_is_shown_with_a_question_mark(tmp_path):
    record = firm()
    del record["companies_house_number"]
    del record["name"]

    code, _, err = run(tmp_path, {"firms": [firm(), record]})

    assert code == 1
    assert err == [
        "firm 2 (?): companies_house_number: is required",
        "firm 2 (?): name: is required",
    ]


def test_a_stored_firm_may_leave_out_its_required_fields(tmp_path):
    kept = factories.FirmFactory(companies_house_number="12345678", name="Kept Ltd")
    factories.CapabilityFactory(firm=kept, reference="SR-Q4")

    code, _, err = run(
        tmp_path,
        {
            "firms": [
                {
                    "companies_house_number": "12345678",
                    "capabilities": [{"reference": "SR-Q4", "trl": 8}],
                }
            ]
        },
    )

    assert (code, err) == (0, [])
    assert Capability.objects.get(reference="SR-Q4").trl == 8
    assert Firm.objects.get().name == "Kept Ltd"


def test_null_on_a_required_field_of_a_stored_firm_is_an_error(tmp_path):
    factories.FirmFactory(companies_house_number="12345678")

    code, _, err = run(tmp_path, {"firms": [{"companies_house_number": "12345678", "name": None}]})

    assert code == 1
    assert err == ["firm 1 (12345678): name: is required"]


def test_the_licence_pairing_is_checked_against_the_stored_rating(tmp_path):
    severn = factories.FirmFactory(companies_house_number="12345678")
    factories.CapabilityFactory(
        firm=severn, reference="SR-Q4", control_rating="ML10", licence_status="SIEL_HELD"
    )

    code, _, err = run(
        tmp_path,
        {
            "firms": [
                {
                    "companies_house_number": "12345678",
                    "capabilities": [{"reference": "SR-Q4", "licence_status": "NOT_REQUIRED"}],
                }
            ]
        },
    )

    assert code == 1
    assert err[0].startswith("firm 1 (12345678) capability 1 (SR-Q4): licence_status: ")


def test_duplicate_keys_inside_one_file_are_errors(tmp_path):
    payload = {
        "firms": [
            firm(capabilities=[capability(), capability(reference="SR-Q5"), capability()]),
            firm(number="12345678"),
        ]
    }

    code, _, err = run(tmp_path, payload)

    assert code == 1
    assert err == [
        "firm 1 (12345678) capability 3 (SR-Q4): reference: duplicate of capability 1 in this firm",
        "firm 2 (12345678): companies_house_number: duplicate of firm 1 in this file",
    ]


def test_the_same_reference_in_two_firms_is_fine(tmp_path):
    payload = {
        "firms": [
            firm(capabilities=[capability()]),
            firm(number="SC123456", capabilities=[capability()]),
        ]
    }

    code, out, _ = run(tmp_path, payload)

    assert code == 0
    assert out == "firms: 2 created, 0 updated; capabilities: 2 created, 0 updated"


def test_an_unknown_certification_and_an_unknown_firm_field_are_named(tmp_path):
    payload = {"firms": [firm(certifications=["ISO9001", "LIST_X"], colour="blue")]}

    code, _, err = run(tmp_path, payload)

    assert code == 1
    assert err[0].startswith(
        "firm 1 (12345678): certifications: unknown certification code 'LIST_X'"
    )
    assert err[1] == "firm 1 (12345678): colour: unknown field"


def test_problems_are_reported_in_file_order(tmp_path):
    first = firm(capabilities=[capability(trl=None), capability(reference="SR-Q5")])
    del first["capabilities"][1]["name"]
    payload = {"firms": [first, firm(number="SC123456", postcode="nowhere")]}

    code, _, err = run(tmp_path, payload)

    assert code == 1
    assert err == [
        "firm 1 (12345678) capability 1 (SR-Q4): trl: is required",
        "firm 1 (12345678) capability 2 (SR-Q5): name: is required",
        "firm 2 (SC123456): postcode: is not a UK postcode (e.g. GL1 2EH)",
    ]


def test_more_than_twenty_problems_are_capped(tmp_path):
    payload = {"firms": [firm(number=f"X{n}") for n in range(30)]}
    good = copy.deepcopy(firm(capabilities=[capability()]))
    payload["firms"].append(good)

    code, _, err = run(tmp_path, payload)

    assert code == 1
    assert len(err) == 21
    assert err[0] == "firm 1 (X0): companies_house_number: must be 8 characters"
    assert err[-1] == "... and 10 more problems"
    assert not Firm.objects.exists()
