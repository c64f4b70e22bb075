from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from firms import codes
from firms.models import Capability
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("12345678", True),
        ("SC123456", True),
        ("NI012345", True),
        ("SC12345", False),
        ("sc123456", False),
        ("1234567A", False),
        ("123456789", False),
        ("", False),
    ],
)
def test_companies_house_number_format(value, ok):
    assert (codes.companies_house_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("GL1 2EH", True),
        ("gl12eh", True),
        ("EH6 6QW", True),
        ("SW1A 1AA", True),
        ("M1 1AE", True),
        ("12345", False),
        ("GL1 2E", False),
        ("", False),
    ],
)
def test_uk_postcode(value, ok):
    assert (codes.postcode_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("NLR", True),
        ("ML1", True),
        ("ML22", True),
        ("ML23", False),
        ("ML0", False),
        ("PL5001", True),
        ("PL5999", True),
        ("PL5000", False),
        ("9A012", True),
        ("5A002.a", True),
        ("5F002", False),
        ("ML10x", False),
    ],
)
def test_control_rating(value, ok):
    assert (codes.control_rating_problem(value) is None) is ok


def test_firm_clean_names_the_field_and_normalises_the_postcode():
    firm = factories.FirmFactory.build(companies_house_number="SC12345", postcode="gl12eh")
    with pytest.raises(ValidationError) as error:
        firm.full_clean()
    assert "must be 8 characters" in error.value.message_dict["companies_house_number"][0]
    assert firm.postcode == "GL1 2EH"


def test_companies_house_number_is_unique_in_the_database():
    factories.FirmFactory(companies_house_number="12345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.FirmFactory(companies_house_number="12345678")


def test_database_refuses_a_bad_companies_house_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.FirmFactory(companies_house_number="ABC")


def test_nlr_with_a_licence_is_refused_by_clean_and_database():
    capability = factories.CapabilityFactory.build(
        firm=factories.FirmFactory(), control_rating="NLR", licence_status="SIEL_HELD"
    )
    with pytest.raises(ValidationError) as error:
        capability.full_clean()
    assert "NLR" in error.value.message_dict["licence_status"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        capability.save()


def test_controlled_item_cannot_be_not_required():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CapabilityFactory(control_rating="ML10", licence_status="NOT_REQUIRED")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trl", 0),
        ("trl", 10),
        ("monthly_capacity", 0),
        ("unit_price_gbp", -1),
    ],
)
def test_database_constraints_on_capability_numbers(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CapabilityFactory(**{field: value})


def test_capability_reference_is_unique_per_firm_only():
    first = factories.CapabilityFactory(reference="SR-Q4")
    factories.CapabilityFactory(reference="SR-Q4")  # another firm: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CapabilityFactory(reference="SR-Q4", firm=first.firm)
    assert Capability.objects.filter(reference="SR-Q4").count() == 2


def test_parent_category_is_refused_for_a_capability():
    capability = factories.CapabilityFactory.build(
        firm=factories.FirmFactory(), category=factories.category("UAS")
    )
    with pytest.raises(ValidationError) as error:
        capability.full_clean()
    assert "category" in error.value.message_dict


def test_sme_rule():
    assert factories.FirmFactory.build(employees=249, annual_turnover_gbp=44_000_000).is_sme
    assert not factories.FirmFactory.build(employees=250).is_sme
    assert not factories.FirmFactory.build(annual_turnover_gbp=44_000_001).is_sme


def test_taxonomy_is_loaded_with_both_languages():
    interceptor = factories.category("UAS.INTERCEPTOR")
    assert interceptor.parent.code == "UAS"
    assert interceptor.label_uk == "Дрони-перехоплювачі"


# Capability.full_clean() skips its check constraints' queries: each must still be caught, on
# the field it is about, by a validator or clean(). A new check constraint needs a row here.
CHECKED = {
    "capability_trl_1_9": [("trl", {"trl": 0}), ("trl", {"trl": 10})],
    "capability_capacity_at_least_1": [("monthly_capacity", {"monthly_capacity": 0})],
    "capability_lead_time_not_negative": [("lead_time_weeks", {"lead_time_weeks": -1})],
    "capability_price_not_negative": [("unit_price_gbp", {"unit_price_gbp": Decimal("-1")})],
    "capability_reference_format": [("reference", {"reference": "SR Q4!"})],
    "capability_control_rating_format": [("control_rating", {"control_rating": "ML99"})],
    "capability_licence_status_valid": [("licence_status", {"licence_status": "MAYBE"})],
    "capability_nlr_iff_not_required": [
        ("licence_status", {"control_rating": "NLR", "licence_status": "SIEL_HELD"}),
        ("licence_status", {"control_rating": "ML10", "licence_status": "NOT_REQUIRED"}),
    ],
}


def test_every_capability_check_constraint_has_a_python_rule_here():
    checks = {c.name for c in Capability._meta.constraints if isinstance(c, models.CheckConstraint)}
    assert checks == set(CHECKED)


@pytest.mark.parametrize(
    ("field", "values"), [case for cases in CHECKED.values() for case in cases]
)
def test_full_clean_refuses_what_each_check_constraint_refuses(field, values):
    capability = factories.CapabilityFactory.build(firm=factories.FirmFactory(), **values)
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as error:
        capability.full_clean()
    assert field in error.value.message_dict
    # The firm and category exist, the category is a child (clean()), the reference is unique.
    assert len(queries) <= 4, [q["sql"] for q in queries]


def test_full_clean_still_refuses_a_reference_the_firm_already_uses():
    first = factories.CapabilityFactory(reference="SR-Q4")
    again = factories.CapabilityFactory.build(firm=first.firm, reference="SR-Q4")
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "already exists" in str(error.value)
