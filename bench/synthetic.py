"""Synthetic but plausible catalogue and requirements for benchmarks, generated from a seed."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from firms.taxonomy import CHILDREN

# A few product words per parent field so text relevance has something real to find.
FIELD_WORDS = {
    "UAS": [
        "quadcopter",
        "airframe",
        "fpv",
        "drone",
        "interceptor",
        "payload",
        "rotor",
        "fixed-wing",
        "autopilot",
        "loitering",
    ],
    "CUAS": [
        "counter-drone",
        "radar",
        "jammer",
        "detection",
        "shahed",
        "interceptor",
        "rf",
        "acoustic",
        "effector",
    ],
    "AD": ["air defence", "missile", "cannon", "shorad", "radar", "launcher"],
    "EW": ["jammer", "sigint", "gnss", "spoofing", "direction finding", "spectrum"],
    "COMMS": ["radio", "mesh", "satcom", "encrypted", "antenna", "terminal", "vhf"],
    "ISR": ["thermal", "night vision", "radar", "acoustic", "sight", "camera", "sensor"],
    "UGV": ["ground robot", "tracked", "logistics", "casualty", "payload", "remote"],
    "MAR": ["sea drone", "usv", "uuv", "hull", "maritime", "naval"],
    "DEMINE": ["mine", "detector", "flail", "clearance", "ppe", "visor"],
    "MED": ["tourniquet", "trauma kit", "stretcher", "surgical", "haemostatic", "evacuation"],
    "PROT": ["body armour", "plate", "helmet", "vehicle armour", "camouflage", "signature"],
    "ENERGY": ["generator", "genset", "battery", "solar", "transformer", "heater", "grid"],
    "VEH": ["pickup", "4x4", "spares", "tyres", "ambulance", "engine"],
    "MUN": ["155mm", "shell", "fuze", "cartridge", "5.56mm", "propellant"],
    "SW": ["c2", "software", "ai", "computer vision", "cyber", "mapping"],
    "TRAIN": ["course", "training", "simulator", "instructor", "curriculum"],
    "ENG": ["fortification", "shelter", "water purification", "concertina", "bunker"],
}
COMMON = [
    "rugged",
    "lightweight",
    "modular",
    "low-cost",
    "battle-proven",
    "winterised",
    "night",
    "portable",
    "long-range",
    "ew-resistant",
    "field-repairable",
]
CONTROLLED = [
    ("ML10", "SIEL_HELD"),
    ("ML11", "OGEL_REGISTERED"),
    ("ML13", "APPLIED"),
    ("5A002.a", "NONE"),
    ("6A003.b", "SIEL_HELD"),
    ("ML5", "OIEL_HELD"),
]


def _text(rng: random.Random, parent: str, n: int) -> str:
    words = rng.sample(FIELD_WORDS[parent], min(3, len(FIELD_WORDS[parent])))
    words += rng.sample(COMMON, n)
    rng.shuffle(words)
    return " ".join(words)


def capability_rows(rng: random.Random, n: int, firm_ids: list[int]) -> list[dict]:
    codes = sorted(CHILDREN)
    rows = []
    for i in range(n):
        code = rng.choice(codes)
        parent = code.split(".")[0]
        rating, status = ("NLR", "NOT_REQUIRED") if rng.random() < 0.35 else rng.choice(CONTROLLED)
        rows.append(
            {
                "firm_id": rng.choice(firm_ids),
                "reference": f"B-{i:06d}",
                "name": _text(rng, parent, 1).capitalize(),
                "description": _text(rng, parent, 4),
                "category_id": code,
                "trl": rng.randint(3, 9),
                "unit_price_gbp": Decimal(rng.randint(50, 50000)),
                "monthly_capacity": rng.randint(1, 2000),
                "lead_time_weeks": rng.randint(1, 30),
                "control_rating": rating,
                "licence_status": status,
                "itar_free": rng.random() < 0.8,
                "field_proven": rng.random() < 0.3,
                "keywords": rng.sample(FIELD_WORDS[parent], 2),
            }
        )
    return rows


def requirement_rows(rng: random.Random, n: int, today: dt.date) -> list[dict]:
    codes = sorted(CHILDREN)
    rows = []
    for i in range(n):
        code = rng.choice(codes)
        parent = code.split(".")[0]
        rows.append(
            {
                "reference": f"UA-B-{i:05d}",
                "title": _text(rng, parent, 1).capitalize(),
                "description": _text(rng, parent, 5),
                "category_id": code,
                "quantity": rng.randint(5, 5000),
                "unit": "units",
                "needed_by": today + dt.timedelta(days=rng.randint(30, 500)),
                "max_unit_price_gbp": Decimal(rng.randint(100, 60000))
                if rng.random() < 0.7
                else None,
                "min_trl": rng.randint(4, 8),
                "required_certifications": ["ISO9001"] if rng.random() < 0.3 else [],
                "itar_free_required": rng.random() < 0.3,
                "priority": rng.choice(["CRITICAL", "HIGH", "ROUTINE"]),
                "classification": "OFFICIAL",
                "status": "OPEN",
            }
        )
    return rows
