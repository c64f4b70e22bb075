"""Properties of the engine on random data (hypothesis), including the vectorised path."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import (
    BLOCKER_CODES,
    COMPONENTS,
    DEFAULT_SYNONYMS,
    DEFAULT_WEIGHTS,
    CapabilityData,
    CapabilityIndex,
    CorpusStats,
    EngineConfig,
    RequirementData,
    score_pair,
)
from matching.engine.text import _APOSTROPHES_RE, _WORD_RE, analyser_for, words_of

TODAY = date(2026, 11, 24)

VOCAB = [
    "drone", "drones", "UAS", "UAVs", "unmanned aerial vehicle", "quadcopter", "counter-drone",
    "C-UAS", "anti drone", "jammer", "jamming", "generator", "genset", "gensets", "night",
    "thermal", "thermal camera", "interceptor", "plate", "body armour", "kit", "spares",
    "spare parts", "course", "training", "radar", "mine", "IEDs", "sea drone", "USV", "keep",
    "lights", "grid", "down", "field", "hospital", "satcom", "satellite communications",
    "first aid", "tourniquet", "heater", "winter", "cheap", "one-way attack drone", "Shahed",
    "the", "and", "of", "5", "x", "c", "operator's", "GPS", "anti-jam", "kVA",
]  # fmt: skip
CATEGORIES = [
    "UAS.ISR", "UAS.INTERCEPTOR", "CUAS.JAM", "CUAS.KINETIC", "ENERGY.GENERATION",
    "ENERGY.STORAGE", "MED.FIRST_AID", "NOPARENT",
]  # fmt: skip
CERTIFICATIONS = ["ISO9001", "AQAP2110", "JOSCAR"]
STATUSES = [
    "NOT_REQUIRED", "OGEL_REGISTERED", "SIEL_HELD", "OIEL_HELD", "APPLIED", "NONE", "ODD",
]  # fmt: skip

texts = st.one_of(
    st.lists(st.sampled_from(VOCAB), max_size=10).map(" ".join),
    st.text(max_size=30),
)
dates = st.integers(-120, 300).map(lambda d: TODAY + timedelta(days=d))
money = st.one_of(
    st.none(),
    st.integers(0, 2000).map(float),
    st.floats(0, 100_000, allow_nan=False, allow_infinity=False),
)


ANY_ID = st.integers(1, 10**6)


def capabilities(ids: st.SearchStrategy[int] = ANY_ID) -> st.SearchStrategy:
    return st.builds(
        CapabilityData,
        id=ids,
        firm_id=st.integers(1, 5),
        reference=st.just("CAP"),
        name=texts,
        description=texts,
        keywords=st.lists(texts, max_size=3).map(tuple),
        category=st.sampled_from(CATEGORIES),
        trl=st.integers(1, 9),
        unit_price_gbp=money,
        monthly_capacity=st.integers(0, 2000),
        lead_time_weeks=st.integers(0, 40),
        control_rating=st.sampled_from(["NLR", "ML10", "9A012", "PL5001"]),
        licence_status=st.sampled_from(STATUSES),
        licence_expiry=st.none() | dates,
        itar_free=st.booleans(),
        field_proven=st.booleans(),
        active=st.booleans(),
        certifications=st.dictionaries(
            st.sampled_from(CERTIFICATIONS), st.none() | dates, max_size=3
        ),
        report_ratings=st.lists(st.integers(1, 5), max_size=5).map(tuple),
    )


requirements = st.builds(
    RequirementData,
    id=st.integers(1, 1000),
    reference=st.just("UA-1"),
    title=texts,
    description=texts,
    category=st.sampled_from(CATEGORIES),
    quantity=st.integers(1, 10_000),
    needed_by=dates,
    max_unit_price_gbp=money,
    min_trl=st.integers(1, 9),
    required_certifications=st.frozensets(st.sampled_from(CERTIFICATIONS), max_size=2),
    itar_free_required=st.booleans(),
)

weights = st.one_of(
    st.just(DEFAULT_WEIGHTS),
    st.fixed_dictionaries({name: st.integers(0, 5).map(float) for name in COMPONENTS}).filter(
        lambda w: sum(w.values()) > 0
    ),
    st.fixed_dictionaries({name: st.floats(0.01, 3) for name in COMPONENTS}),
)
synonym_sets = st.one_of(
    st.just(DEFAULT_SYNONYMS),
    st.just(()),
    st.lists(st.lists(st.sampled_from(VOCAB), min_size=2, max_size=4), max_size=4).map(
        lambda groups: tuple(tuple(g) for g in groups)
    ),
)
configs = st.builds(
    EngineConfig,
    today=st.integers(-30, 30).map(lambda d: TODAY + timedelta(days=d)),
    weights=weights,
    licence_wait_weeks=st.integers(0, 10),
    synonyms=synonym_sets,
    category_relations=st.frozensets(
        st.tuples(st.sampled_from(CATEGORIES), st.sampled_from(CATEGORIES)), max_size=3
    ),
)


def stats_for(caps: list[CapabilityData], config: EngineConfig) -> CorpusStats:
    return CorpusStats.from_capabilities(caps, config.synonyms)


@given(requirements, capabilities(), configs)
def test_score_and_component_values_stay_in_range_and_rounded(req, cap, config):
    result = score_pair(req, cap, config, stats_for([cap], config))
    assert 0.0 <= result.score <= 100.0
    assert abs(result.score * 10 - round(result.score * 10)) < 1e-6
    assert tuple(c.component for c in result.breakdown) == COMPONENTS
    for component in result.breakdown:
        assert 0.0 <= component.value <= 1.0
        assert abs(component.value * 1000 - round(component.value * 1000)) < 1e-6
        assert component.reason


@given(requirements, capabilities(), configs, st.integers(0, 5000))
def test_more_monthly_capacity_never_lowers_the_capacity_component(req, cap, config, extra):
    more = CapabilityData(**{**cap.__dict__, "monthly_capacity": cap.monthly_capacity + extra})
    stats = stats_for([cap], config)
    before = score_pair(req, cap, config, stats).component("capacity").value
    after = score_pair(req, more, config, stats).component("capacity").value
    assert after >= before


def expected_blockers(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> set:
    """DESIGN.md section 4's blocker rules, restated independently of the engine."""
    today = config.today
    expired_licence = cap.licence_expiry is not None and cap.licence_expiry < today
    usable_licence = cap.licence_status in {"OGEL_REGISTERED", "SIEL_HELD", "OIEL_HELD"}
    waits = cap.control_rating != "NLR" and (
        cap.licence_status in {"APPLIED", "NONE", "ODD"} or (usable_licence and expired_licence)
    )
    weeks = cap.lead_time_weeks + (config.licence_wait_weeks if waits else 0)
    certs = cap.certifications
    found = {
        "TRL_TOO_LOW": cap.trl < req.min_trl,
        "MISSING_CERTIFICATION": any(
            code not in certs or (certs[code] is not None and certs[code] < today)
            for code in req.required_certifications
        ),
        "NOT_ITAR_FREE": req.itar_free_required and not cap.itar_free,
        "OVER_BUDGET": req.max_unit_price_gbp is not None
        and cap.unit_price_gbp is not None
        and cap.unit_price_gbp > req.max_unit_price_gbp,
        "TOO_LATE": today + timedelta(weeks=weeks) > req.needed_by,
        "INACTIVE": not cap.active,
    }
    return {code for code, hit in found.items() if hit}


@given(requirements, capabilities(), configs)
def test_any_blocker_makes_ineligible_and_none_makes_eligible(req, cap, config):
    result = score_pair(req, cap, config, stats_for([cap], config))
    expected = expected_blockers(req, cap, config)
    assert set(result.blocker_codes) == expected
    assert list(result.blocker_codes) == [c for c in BLOCKER_CODES if c in expected]
    assert result.eligible is (not expected)
    assert all(b.reason for b in result.blockers)


@given(requirements, capabilities(), configs)
def test_same_input_gives_the_same_result(req, cap, config):
    first = score_pair(req, cap, config, stats_for([cap], config))
    again = EngineConfig(
        today=config.today,
        weights=dict(config.weights),
        licence_wait_weeks=config.licence_wait_weeks,
        synonyms=config.synonyms,
        category_relations=config.category_relations,
    )
    assert score_pair(req, cap, again, stats_for([cap], again)) == first


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(capabilities(st.integers(1, 60)), max_size=10, unique_by=lambda c: c.id),
    st.lists(requirements, min_size=1, max_size=3),
    configs,
)
def test_vectorised_path_equals_the_readable_one(caps, reqs, config):
    index = CapabilityIndex(caps, config)
    for req in reqs:
        bulk = index.score_requirement(req, config).as_dict()
        readable = {cap.id: score_pair(req, cap, config, index.stats) for cap in caps}
        assert set(bulk) == set(readable)
        for cap_id, result in readable.items():
            # Equal to the last bit, not merely to one decimal: the paths share every operation.
            assert bulk[cap_id] == (result.score, result.eligible, result.blocker_codes)


@given(texts, synonym_sets)
def test_fast_term_path_agrees_with_the_analysing_path(text, synonyms):
    analyser = analyser_for(synonyms)
    assert analyser.terms(text) == [term for term, _ in analyser.analyse(text)]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_word_split_agrees_with_the_unicode_one(text):
    # words_of takes a byte-translation shortcut for ASCII text; the regex path is the reference.
    expected = _WORD_RE.findall(_APOSTROPHES_RE.sub("", unicodedata.normalize("NFKC", text)))
    assert words_of(text) == expected
