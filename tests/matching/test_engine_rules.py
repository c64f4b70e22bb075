"""Each blocker and component of the matching rules (DESIGN.md section 4) on hand-built cases."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from matching.engine import (
    BLOCKER_CODES,
    COMPONENTS,
    DEFAULT_WEIGHTS,
    CapabilityData,
    CorpusStats,
    EngineConfig,
    MatchResult,
    RequirementData,
    score_capability,
    score_pair,
)
from matching.engine.text import analyser_for, words_of

TODAY = date(2026, 11, 24)
CONFIG = EngineConfig(today=TODAY)


def make_cap(**overrides) -> CapabilityData:
    fields = {
        "id": 1,
        "firm_id": 10,
        "reference": "CAP-1",
        "name": "Silent 20 kVA diesel generator",
        "description": "Canopied generator for field hospitals and command posts.",
        "keywords": ("genset", "backup power"),
        "category": "ENERGY.GENERATION",
        "trl": 8,
        "unit_price_gbp": None,
        "monthly_capacity": 100,
        "lead_time_weeks": 4,
        "control_rating": "NLR",
        "licence_status": "NOT_REQUIRED",
        "licence_expiry": None,
        "itar_free": True,
        "field_proven": False,
        "active": True,
        "certifications": {},
        "report_ratings": (),
    }
    return CapabilityData(**{**fields, **overrides})


def make_req(**overrides) -> RequirementData:
    fields = {
        "id": 7,
        "reference": "UA-2026-0007",
        "title": "Generators for a field hospital",
        "description": "Quiet diesel generators to keep theatre lights running.",
        "category": "ENERGY.GENERATION",
        "quantity": 10,
        "needed_by": TODAY + timedelta(weeks=12),
        "max_unit_price_gbp": None,
        "min_trl": 6,
        "required_certifications": frozenset(),
        "itar_free_required": False,
    }
    return RequirementData(**{**fields, **overrides})


def score(req: RequirementData, cap: CapabilityData, config: EngineConfig = CONFIG) -> MatchResult:
    others = [
        make_cap(id=90, name="Body armour plate", description="Level IV ceramic plate."),
        make_cap(id=91, name="Thermal camera", description="Handheld thermal imager."),
    ]
    stats = CorpusStats.from_capabilities([cap, *others], config.synonyms)
    return score_pair(req, cap, config, stats)


def blocker_reason(result: MatchResult, code: str) -> str:
    return next(b.reason for b in result.blockers if b.code == code)


# --- blockers ------------------------------------------------------------------------------


def test_clean_pair_is_eligible_with_no_blockers():
    result = score(make_req(), make_cap())
    assert result.eligible
    assert result.blockers == ()


def test_trl_below_minimum_blocks_and_equal_does_not():
    low = score(make_req(min_trl=7), make_cap(trl=6))
    assert low.blocker_codes == ("TRL_TOO_LOW",)
    assert blocker_reason(low, "TRL_TOO_LOW") == "TRL 6 is below the required TRL 7"
    assert score(make_req(min_trl=7), make_cap(trl=7)).eligible


def test_missing_and_expired_certifications_are_named():
    req = make_req(required_certifications=frozenset({"AQAP2110", "ISO9001"}))
    cap = make_cap(certifications={"ISO9001": date(2026, 10, 1)})
    result = score(req, cap)
    assert result.blocker_codes == ("MISSING_CERTIFICATION",)
    assert blocker_reason(result, "MISSING_CERTIFICATION") == (
        "needs AQAP 2110; ISO 9001 expired on 2026-10-01"
    )


def test_certification_expiring_today_or_never_is_held():
    req = make_req(required_certifications=frozenset({"AQAP2110", "ISO9001"}))
    cap = make_cap(certifications={"ISO9001": TODAY, "AQAP2110": None})
    assert score(req, cap).eligible


def test_itar_blocks_only_when_required():
    cap = make_cap(itar_free=False)
    assert score(make_req(itar_free_required=True), cap).blocker_codes == ("NOT_ITAR_FREE",)
    assert score(make_req(itar_free_required=False), cap).eligible


def test_over_budget_blocks_above_but_not_at_the_budget():
    over = score(make_req(max_unit_price_gbp=1000), make_cap(unit_price_gbp=1250))
    assert over.blocker_codes == ("OVER_BUDGET",)
    assert blocker_reason(over, "OVER_BUDGET") == "unit price £1,250 is above the £1,000 budget"
    assert score(make_req(max_unit_price_gbp=1000), make_cap(unit_price_gbp=1000)).eligible


@pytest.mark.parametrize(("budget", "unit_price"), [(None, 5000.0), (1000.0, None), (None, None)])
def test_no_budget_or_no_price_never_blocks(budget, unit_price):
    result = score(make_req(max_unit_price_gbp=budget), make_cap(unit_price_gbp=unit_price))
    assert "OVER_BUDGET" not in result.blocker_codes


def test_too_late_boundary_is_one_day():
    cap = make_cap(lead_time_weeks=8)
    on_time = make_req(needed_by=TODAY + timedelta(weeks=8))
    assert score(on_time, cap).eligible
    late = score(make_req(needed_by=TODAY + timedelta(weeks=8, days=-1)), cap)
    assert late.blocker_codes == ("TOO_LATE",)
    assert blocker_reason(late, "TOO_LATE") == (
        "lead time 8 weeks misses the date by 1 day "
        "(earliest delivery 2027-01-19, needed by 2027-01-18)"
    )


def test_too_late_reason_counts_the_licence_wait_in_weeks():
    cap = make_cap(lead_time_weeks=8, control_rating="ML10", licence_status="APPLIED")
    result = score(make_req(needed_by=TODAY + timedelta(weeks=9)), cap)
    assert blocker_reason(result, "TOO_LATE").startswith(
        "lead time 8 weeks plus licence wait 4 weeks misses the date by 3 weeks "
    )


@pytest.mark.parametrize(
    ("rating", "status", "expiry", "waits"),
    [
        ("ML10", "APPLIED", None, True),
        ("ML10", "NONE", None, True),
        ("ML10", "SIEL_HELD", None, False),
        ("ML10", "OIEL_HELD", None, False),
        ("5A002.a", "OGEL_REGISTERED", TODAY + timedelta(days=30), False),
        ("ML10", "SIEL_HELD", TODAY - timedelta(days=1), True),  # expired counts as NONE
        ("ML10", "SIEL_HELD", TODAY, False),  # expires today: still valid today
        ("NLR", "NOT_REQUIRED", None, False),
        ("NLR", "NONE", None, False),  # NLR never waits, whatever the status says
    ],
)
def test_licence_wait_applies_only_to_controlled_items_without_a_usable_licence(
    rating, status, expiry, waits
):
    cap = make_cap(
        lead_time_weeks=2, control_rating=rating, licence_status=status, licence_expiry=expiry
    )
    # Needed in 3 weeks: 2 weeks of lead time fit, 2 + 4 weeks of licence wait do not.
    result = score(make_req(needed_by=TODAY + timedelta(weeks=3)), cap)
    assert ("TOO_LATE" in result.blocker_codes) is waits


def test_licence_wait_length_comes_from_the_config():
    cap = make_cap(lead_time_weeks=2, control_rating="ML10", licence_status="NONE")
    req = make_req(needed_by=TODAY + timedelta(weeks=5))
    assert not score(req, cap, EngineConfig(today=TODAY, licence_wait_weeks=4)).eligible
    assert score(req, cap, EngineConfig(today=TODAY, licence_wait_weeks=3)).eligible
    assert score(req, cap, EngineConfig(today=TODAY, licence_wait_weeks=0)).eligible


def test_inactive_blocks():
    result = score(make_req(), make_cap(active=False))
    assert result.blocker_codes == ("INACTIVE",)
    assert blocker_reason(result, "INACTIVE") == "the capability is marked inactive"


def test_several_blockers_come_in_contract_order_and_still_score():
    req = make_req(
        min_trl=9,
        required_certifications=frozenset({"JOSCAR"}),
        itar_free_required=True,
        max_unit_price_gbp=10,
        needed_by=TODAY + timedelta(days=1),
    )
    cap = make_cap(trl=3, itar_free=False, unit_price_gbp=20, active=False)
    result = score(req, cap)
    assert result.blocker_codes == BLOCKER_CODES
    assert not result.eligible
    assert 0 < result.score < 100  # a near miss is still shown with its score


# --- components ----------------------------------------------------------------------------


def test_breakdown_follows_components_order_with_config_weights():
    result = score(make_req(), make_cap())
    assert tuple(c.component for c in result.breakdown) == COMPONENTS
    assert [c.weight for c in result.breakdown] == [DEFAULT_WEIGHTS[n] for n in COMPONENTS]


@pytest.mark.parametrize(
    ("cap_category", "value", "reason"),
    [
        ("ENERGY.GENERATION", 1.0, "same category (ENERGY.GENERATION)"),
        ("ENERGY.STORAGE", 0.7, "ENERGY.STORAGE is declared related to ENERGY.GENERATION"),
        ("ENERGY.HEATING", 0.4, "same family (ENERGY) but a different category (ENERGY.HEATING)"),
        ("MED.FIRST_AID", 0.0, "unrelated category (MED.FIRST_AID)"),
    ],
)
def test_category_same_related_same_parent_unrelated(cap_category, value, reason):
    # Declared in the other order on purpose: relations are symmetric.
    config = EngineConfig(
        today=TODAY, category_relations=frozenset({("ENERGY.STORAGE", "ENERGY.GENERATION")})
    )
    component = score(make_req(), make_cap(category=cap_category), config).component("category")
    assert (component.value, component.reason) == (value, reason)


def test_capacity_share_of_quantity_by_the_needed_by_date():
    # Lead time 4 weeks, then 61 days (2.004 months) at 100 a month: the first month's output
    # ships at the earliest delivery, so about 300 of 500 arrive in time.
    req = make_req(quantity=500, needed_by=TODAY + timedelta(days=28 + 61))
    component = score(req, make_cap(monthly_capacity=100)).component("capacity")
    assert component.value == 0.601
    assert component.reason == "can deliver about 300 of 500 by 2027-02-21 at 100 a month"


def test_capacity_is_capped_at_one_and_zero_when_late():
    enough = score(make_req(quantity=50), make_cap(monthly_capacity=100)).component("capacity")
    assert enough.value == 1.0
    assert enough.reason.startswith("can deliver all 50 by ")
    late = score(make_req(needed_by=TODAY + timedelta(weeks=2)), make_cap(lead_time_weeks=4))
    assert late.component("capacity").value == 0.0


def test_timeliness_is_slack_over_time_available():
    req = make_req(needed_by=TODAY + timedelta(days=56))
    component = score(req, make_cap(lead_time_weeks=4)).component("timeliness")
    assert component.value == 0.5
    assert component.reason == "earliest delivery 2026-12-22, 4 weeks before the needed-by date"
    late = score(make_req(needed_by=TODAY + timedelta(days=20)), make_cap(lead_time_weeks=4))
    assert late.component("timeliness").value == 0.0


@pytest.mark.parametrize(
    ("budget", "unit_price", "value", "reason"),
    [
        (None, 800.0, 0.5, "no budget set (neutral)"),
        (1000.0, None, 0.5, "no unit price given (neutral)"),
        (None, None, 0.5, "no budget set and no unit price given (neutral)"),
        (1000.0, 600.0, 0.7, "unit price £600 is 40% under the £1,000 budget"),
        (1000.0, 1000.0, 0.5, "unit price £1,000 is 0% under the £1,000 budget"),
        (1000.0, 0.0, 1.0, "unit price £0 is 100% under the £1,000 budget"),
        (1000.0, 1500.5, 0.0, "unit price £1,500.50 is above the £1,000 budget"),
    ],
)
def test_price_headroom_and_neutral_without_a_budget_or_price(budget, unit_price, value, reason):
    result = score(make_req(max_unit_price_gbp=budget), make_cap(unit_price_gbp=unit_price))
    component = result.component("price")
    assert (component.value, component.reason) == (value, reason)


def test_maturity_blends_trl_field_proven_and_reports():
    best = score(make_req(), make_cap(trl=9, field_proven=True, report_ratings=(5, 5)))
    assert best.component("maturity").value == 1.0
    assert best.component("maturity").reason == (
        "TRL 9 of 9, field-proven, 2 field reports averaging 5.0 of 5"
    )
    unrated = score(make_req(), make_cap(trl=6, field_proven=False)).component("maturity")
    assert unrated.value == 0.458  # 0.5 * 6/9 + 0 + 0.25 * 0.5 (neutral without reports)
    assert unrated.reason == "TRL 6 of 9, not yet field-proven, no field reports yet (neutral)"
    poor = score(make_req(), make_cap(trl=6, report_ratings=(1,))).component("maturity")
    assert poor.value == 0.333


@pytest.mark.parametrize(
    ("rating", "status", "expiry", "value", "reason_part"),
    [
        ("NLR", "NOT_REQUIRED", None, 1.0, "no export licence required (NLR)"),
        ("ML10", "SIEL_HELD", None, 1.0, "SIEL held for ML10"),
        ("ML10", "OIEL_HELD", None, 1.0, "OIEL held for ML10"),
        ("9A012", "OGEL_REGISTERED", None, 0.9, "registered for an OGEL covering 9A012"),
        ("ML10", "APPLIED", None, 0.5, "licence applied for (ML10)"),
        ("ML10", "NONE", None, 0.2, "no licence yet for ML10"),
        ("ML10", "SIEL_HELD", date(2026, 11, 1), 0.2, "expired on 2026-11-01"),
    ],
)
def test_export_readiness_by_licence_status(rating, status, expiry, value, reason_part):
    cap = make_cap(control_rating=rating, licence_status=status, licence_expiry=expiry)
    component = score(make_req(), cap).component("export_readiness")
    assert component.value == value
    assert reason_part in component.reason


# --- relevance -----------------------------------------------------------------------------


def test_synonyms_make_genset_and_generator_the_same_word():
    req = make_req(title="Gensets", description="")
    cap = make_cap(name="Diesel generator", description="", keywords=())
    assert score(req, cap).component("relevance").value > 0.5
    plain = EngineConfig(today=TODAY, synonyms=())
    assert score(req, cap, plain).component("relevance").value == 0.0


def test_hyphenated_and_acronym_forms_of_counter_drone_match():
    req = make_req(title="Counter-drone jammers", description="")
    cap = make_cap(name="C-UAS jammer", description="Anti-drone RF jammer.", keywords=())
    relevance = score(req, cap).component("relevance")
    assert relevance.value > 0.5
    assert '"counter drone"' in relevance.reason


def test_quadcopter_is_a_drone_but_a_drone_is_not_a_quadcopter():
    quad = make_cap(name="ISR quadcopter", description="", keywords=())
    wing = make_cap(id=2, name="ISR fixed-wing drone", description="", keywords=())
    wants_drone = make_req(title="Drones", description="")
    wants_quad = make_req(title="Quadcopters", description="")
    assert score(wants_drone, quad).component("relevance").value > 0
    assert score(wants_quad, quad).component("relevance").value > 0
    assert score(wants_quad, wing).component("relevance").value == 0


def test_need_wording_reaches_products_through_the_concept_layer():
    req = make_req(
        title="Keep the lights on at a field hospital when the grid is down", description=""
    )
    cap = make_cap(name="Genset 20 kVA", description="", keywords=())
    relevance = score(req, cap).component("relevance")
    assert relevance.value > 0
    assert relevance.reason.startswith('fits the need through "kva" and "generator"')


def test_spares_kit_repeating_the_words_is_marked_down_unless_asked_for():
    kit = make_cap(name="Generator spares kit", description="Filters and belts for generators.")
    unit = make_cap(id=2, name="Diesel generator", description="Generator for field hospitals.")
    req = make_req()
    kit_relevance = score(req, kit).component("relevance")
    assert "halved: offers spares" in kit_relevance.reason
    assert kit_relevance.value < score(req, unit).component("relevance").value
    asked = make_req(title="Spare parts for generators")
    assert "halved" not in score(asked, kit).component("relevance").reason


def test_missing_description_and_keywords_score_on_the_name_and_say_so():
    cap = make_cap(name="Diesel generator", description="", keywords=())
    relevance = score(make_req(), cap).component("relevance")
    assert relevance.value > 0
    assert "judged on the name alone (no description or keywords)" in relevance.reason


def test_requirement_without_searchable_words_scores_zero_relevance():
    req = make_req(title="", description="the and of")
    relevance = score(req, make_cap()).component("relevance")
    assert relevance.value == 0.0
    assert relevance.reason == "the requirement has no searchable words in its title or description"


def test_unrelated_text_scores_zero_and_says_so():
    req = make_req(title="Body armour plates", description="Level IV ceramic.")
    cap = make_cap(name="Water purifier", description="Reverse osmosis unit.", keywords=())
    relevance = score(req, cap).component("relevance")
    assert relevance.value == 0.0
    assert relevance.reason == "no words in common with the requirement"


def test_text_normalisation_handles_acronyms_plurals_and_apostrophes():
    analyser = analyser_for(CONFIG.synonyms)
    assert analyser.terms("IEDs and an IED") == ["ied", "ied"]
    assert analyser.terms("UAVs, UAS, drones and unmanned aerial vehicles") == ["uav"] * 4
    assert analyser.terms("operator's manuals") == analyser.terms("operators manual")
    assert words_of("C-UAS, 20kVA (night)") == ["C", "UAS", "20kVA", "night"]
    assert words_of("Генератор 20 кВА") == ["Генератор", "20", "кВА"]


# --- score and result shape ----------------------------------------------------------------


def test_score_is_the_weighted_mean_of_rounded_values_to_one_decimal():
    result = score(make_req(), make_cap(category="ENERGY.HEATING", monthly_capacity=3))
    expected = sum(c.weight * c.value for c in result.breakdown) / sum(DEFAULT_WEIGHTS.values())
    assert result.score == round(100 * expected, 1)
    assert all(c.value == round(c.value, 3) for c in result.breakdown)


def test_weights_come_from_the_config():
    only_category = {name: 0.0 for name in COMPONENTS} | {"category": 2.0}
    config = EngineConfig(today=TODAY, weights=only_category)
    assert score(make_req(), make_cap(category="ENERGY.HEATING"), config).score == 40.0


def test_result_lists_are_plain_dicts_for_json():
    result = score(make_req(min_trl=9), make_cap(trl=8))
    assert result.blockers_as_list() == [
        {"code": "TRL_TOO_LOW", "reason": "TRL 8 is below the required TRL 9"}
    ]
    first = result.breakdown_as_list()[0]
    assert set(first) == {"component", "value", "weight", "reason"}
    assert first["component"] == "relevance"


def test_score_capability_matches_score_pair_for_each_requirement():
    cap = make_cap()
    reqs = [make_req(id=1), make_req(id=2, title="Body armour", min_trl=9)]
    stats = CorpusStats.from_capabilities([cap], CONFIG.synonyms)
    assert score_capability(cap, reqs, CONFIG, stats) == [
        score_pair(r, cap, CONFIG, stats) for r in reqs
    ]


def test_orm_values_are_normalised():
    from decimal import Decimal

    cap = make_cap(unit_price_gbp=Decimal("12.50"), keywords=["a"], report_ratings=[4])
    req = make_req(max_unit_price_gbp=Decimal("20"), required_certifications={"ISO9001"})
    assert isinstance(cap.unit_price_gbp, float)
    assert cap.unit_price_gbp == 12.5
    assert cap.keywords == ("a",)
    assert cap.report_ratings == (4,)
    assert req.required_certifications == frozenset({"ISO9001"})


# --- configuration -------------------------------------------------------------------------


def test_config_rejects_bad_weights_and_a_datetime_today():
    with pytest.raises(ValueError, match="missing"):
        EngineConfig(today=TODAY, weights={"relevance": 1.0})
    with pytest.raises(ValueError, match="not negative"):
        EngineConfig(today=TODAY, weights={**DEFAULT_WEIGHTS, "price": -1.0})
    with pytest.raises(ValueError, match="positive"):
        EngineConfig(today=TODAY, weights={name: 0.0 for name in COMPONENTS})
    with pytest.raises(TypeError):
        EngineConfig(today=datetime(2026, 11, 24, 12, 0))


def test_config_freezes_staff_edited_synonyms():
    config = EngineConfig(today=TODAY, synonyms=[["uav", "drone"], ["lonely"]])
    assert config.synonyms == (("uav", "drone"),)
    assert dataclasses.replace(config, licence_wait_weeks=2).synonyms == config.synonyms
