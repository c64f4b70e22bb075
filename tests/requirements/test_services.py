from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from requirements import services
from requirements.models import Requirement, RequirementTransition
from tests import factories

pytestmark = pytest.mark.django_db
KYIV_MORNING = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)


def new_requirement(**overrides):
    fields = {
        "reference": "UA-2026-0142",
        "title": "Generators for frontline hospitals",
        "description": "Trailer generators of 100-200 kVA for surgical theatres.",
        "category": factories.category("ENERGY.GENERATION"),
        "quantity": 40,
        "unit": "units",
        "needed_by": dt.date(2027, 3, 1),
        "min_trl": 8,
        "priority": "HIGH",
        "classification": "OFFICIAL",
    }
    fields.update(overrides)
    return fields


def test_create_records_the_first_status():
    staff = factories.StaffFactory()
    requirement = services.requirement_create(by=staff, **new_requirement())
    history = list(requirement.transitions.values_list("from_status", "to_status", "by"))
    assert history == [("", "SUBMITTED", staff.pk)]


@time_machine.travel(KYIV_MORNING, tick=False)
def test_needed_by_in_the_past_is_refused_for_a_new_submitted_requirement():
    with pytest.raises(ValidationError) as error:
        services.requirement_create(**new_requirement(needed_by=dt.date(2026, 11, 23)))
    assert "needed_by" in error.value.message_dict
    assert not Requirement.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 24, 22, 30, tzinfo=dt.UTC), tick=False)
def test_today_is_the_kyiv_date():
    # 22:30 UTC is already 25 November in Kyiv, so the 25th is not in the future there.
    with pytest.raises(ValidationError, match="future"):
        services.requirement_create(**new_requirement(needed_by=dt.date(2026, 11, 25)))


def test_a_past_date_is_fine_for_a_fulfilled_record():
    requirement = services.requirement_create(
        **new_requirement(needed_by=dt.date(2025, 1, 1), status="FULFILLED")
    )
    assert requirement.status == "FULFILLED"


def test_negative_quantity_names_the_field():
    with pytest.raises(ValidationError) as error:
        services.requirement_create(**new_requirement(quantity=-5))
    assert "quantity" in error.value.message_dict


def test_unknown_certification_is_refused():
    with pytest.raises(ValidationError) as error:
        services.requirement_create(**new_requirement(required_certifications=["ISO9999"]))
    assert "required_certifications" in error.value.message_dict


def test_parent_category_is_refused():
    with pytest.raises(ValidationError) as error:
        services.requirement_create(**new_requirement(category=factories.category("ENERGY")))
    assert "child category" in error.value.message_dict["category"][0]


def test_full_flow_records_every_step():
    staff = factories.StaffFactory()
    requirement = services.requirement_create(by=staff, **new_requirement())
    services.requirement_transition(requirement=requirement, to="TRIAGED", by=staff, note="ok")
    services.requirement_transition(requirement=requirement, to="OPEN", by=staff)
    services.requirement_transition(
        requirement=requirement, to="SHORTLISTED", by=staff, via_shortlist=True
    )
    services.requirement_transition(requirement=requirement, to="FULFILLED", by=staff)
    steps = list(
        RequirementTransition.objects.filter(requirement=requirement).values_list(
            "from_status", "to_status"
        )
    )
    assert steps == [
        ("", "SUBMITTED"),
        ("SUBMITTED", "TRIAGED"),
        ("TRIAGED", "OPEN"),
        ("OPEN", "SHORTLISTED"),
        ("SHORTLISTED", "FULFILLED"),
    ]
    assert requirement.status == "FULFILLED"


def test_illegal_transition_names_the_allowed_ones():
    requirement = services.requirement_create(**new_requirement())
    with pytest.raises(services.TransitionError) as error:
        services.requirement_transition(requirement=requirement, to="FULFILLED")
    message = error.value.message_dict["to"][0]
    assert "TRIAGED, CLOSED, REJECTED" in message
    assert error.value.allowed == ("TRIAGED", "CLOSED", "REJECTED")
    requirement.refresh_from_db()
    assert requirement.status == "SUBMITTED"
    assert requirement.transitions.count() == 1


def test_final_status_allows_nothing():
    requirement = services.requirement_create(**new_requirement())
    services.requirement_transition(requirement=requirement, to="CLOSED", note="withdrawn")
    with pytest.raises(services.TransitionError, match="none"):
        services.requirement_transition(requirement=requirement, to="OPEN")


def test_rejection_needs_a_reason():
    requirement = services.requirement_create(**new_requirement())
    with pytest.raises(ValidationError) as error:
        services.requirement_transition(requirement=requirement, to="REJECTED", note="  ")
    assert "note" in error.value.message_dict


def test_only_a_published_shortlist_moves_to_shortlisted():
    requirement = factories.RequirementFactory(status="OPEN")
    with pytest.raises(services.TransitionError, match="shortlist"):
        services.requirement_transition(requirement=requirement, to="SHORTLISTED")


def test_opening_needs_english_title_and_description():
    requirement = services.requirement_create(
        **new_requirement(
            title="",
            description="",
            title_uk="Генератори для госпіталів",
            description_uk="Причіпні генератори 100-200 кВА.",
        )
    )
    services.requirement_transition(requirement=requirement, to="TRIAGED")
    with pytest.raises(ValidationError) as error:
        services.requirement_transition(requirement=requirement, to="OPEN")
    assert "title" in error.value.message_dict


def test_merge_closes_and_links_the_duplicate():
    kept = factories.RequirementFactory(status="OPEN")
    duplicate = services.requirement_create(**new_requirement(reference="UA-DUP-1"))
    services.requirement_transition(
        requirement=duplicate, to="CLOSED", duplicate_of=kept, note="same need as the kept one"
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of_id) == ("CLOSED", kept.pk)


def test_status_cannot_be_edited_directly():
    requirement = factories.RequirementFactory(status="OPEN")
    with pytest.raises(ValidationError):
        services.requirement_update(requirement=requirement, status="CLOSED")
