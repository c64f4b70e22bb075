"""Domain vocabulary for the text side of matching.

Three tables, each written as plain English terms and run through the same analyser as the
texts they are compared with, so spelling here never has to anticipate stemming:

* ``DEFAULT_SYNONYMS``: groups of interchangeable terms. Every member maps to one token, so
  "UAS", "drone" and "unmanned aerial vehicle" count as the same word. Staff can replace the
  groups (EngineConfig.synonyms); these are the defaults.
* ``DEFAULT_BROADER_TERMS``: "is a kind of" links applied to capability text only. A quadcopter
  is a drone, so a requirement for drones finds it; but a requirement for a quadcopter should not
  be satisfied by any drone, which is what putting it in the drone synonym group would do.
* ``DEFAULT_CONCEPTS``: requirements often describe an effect or a situation ("keep the lights on
  when the grid is down") rather than a product. When a trigger appears in a requirement, the
  product terms are added to its query at a lower weight than its own words.
"""

from __future__ import annotations

DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    # Air platforms. "c-uas" and "sea drone" are longer phrases, so they win over "uas"/"drone".
    (
        "uav",
        "drone",
        "uas",
        "unmanned aerial vehicle",
        "uncrewed aerial vehicle",
        "unmanned aircraft system",
        "uncrewed aircraft system",
        "unmanned aircraft",
        "uncrewed aircraft",
        "rpas",
        "remotely piloted aircraft",
    ),
    ("quadcopter", "quadrotor", "quad copter", "quad-copter"),
    ("multirotor", "multi-rotor", "multicopter", "multi-copter", "hexacopter", "octocopter"),
    ("fpv", "first person view", "first-person view"),
    (
        "cuas",
        "c-uas",
        "counter-uas",
        "counter uas",
        "counter-uav",
        "counter uav",
        "c-uav",
        "counter-drone",
        "counter drone",
        "counterdrone",
        "anti-drone",
        "anti drone",
        "antidrone",
        "anti-uav",
        "drone defeat",
    ),
    (
        "one-way attack drone",
        "one way attack drone",
        "one-way attack uav",
        "owa drone",
        "owa uav",
        "shahed",
        "geran",
        "geran-2",
    ),
    ("loitering munition", "kamikaze drone", "suicide drone", "loitering weapon"),
    ("shorad", "short range air defence", "short-range air defence", "vshorad"),
    ("air defence", "air defense"),
    # Electronic warfare and navigation.
    ("ew", "electronic warfare"),
    ("sigint", "signals intelligence", "comint", "elint"),
    ("jammer", "jamming", "jam"),
    ("anti-jam", "anti jam", "antijam", "jam resistant", "jam-resistant", "jamming resistant"),
    (
        "gnss",
        "gps",
        "global positioning system",
        "global navigation satellite system",
        "satellite navigation",
        "satnav",
        "sat nav",
    ),
    ("crpa", "controlled reception pattern antenna"),
    ("ins", "inertial navigation system", "inertial navigation unit", "inertial navigation"),
    ("rf", "radio frequency"),
    ("direction finding", "direction finder", "direction-finding"),
    # Communications and command.
    ("satcom", "satellite communications", "satellite communication", "satellite comms"),
    ("manet", "mesh network", "mobile ad hoc network", "mesh networking"),
    ("c2", "command and control", "command & control"),
    (
        "isr",
        "intelligence surveillance and reconnaissance",
        "intelligence surveillance reconnaissance",
    ),
    # Sensors.
    (
        "nvg",
        "night vision goggles",
        "night vision goggle",
        "night vision device",
        "nvd",
        "night vision",
    ),
    (
        "thermal imager",
        "thermal camera",
        "thermal imaging camera",
        "thermal imaging",
        "thermal sight",
        "thermal scope",
        "thermal imagery",
        "infrared camera",
        "ir camera",
    ),
    ("counter-battery", "counter battery", "counterbattery"),
    # Ground and sea robots.
    (
        "ugv",
        "unmanned ground vehicle",
        "uncrewed ground vehicle",
        "ground robot",
        "ground drone",
        "robotic ground vehicle",
    ),
    (
        "usv",
        "uncrewed surface vessel",
        "unmanned surface vessel",
        "unmanned surface vehicle",
        "uncrewed surface vehicle",
        "sea drone",
        "naval drone",
        "maritime drone",
    ),
    (
        "uuv",
        "unmanned underwater vehicle",
        "uncrewed underwater vehicle",
        "underwater drone",
        "auv",
        "autonomous underwater vehicle",
    ),
    # Explosives and demining.
    ("ied", "improvised explosive device"),
    ("eod", "explosive ordnance disposal", "bomb disposal"),
    ("gpr", "ground penetrating radar", "ground-penetrating radar"),
    ("uxo", "unexploded ordnance"),
    # Medical. MEDEVAC (dedicated medical transport with care en route) and CASEVAC (moving
    # casualties with whatever is at hand) are different jobs: two groups, linked by a concept.
    ("medevac", "medical evacuation", "aeromedical evacuation"),
    ("casevac", "casualty evacuation", "casualty extraction"),
    ("ifak", "individual first aid kit"),
    ("first aid", "first-aid", "first aid kit", "first-aid kit"),
    ("haemorrhage", "hemorrhage", "bleeding"),
    ("haemostatic", "hemostatic"),
    # Protection and power.
    ("ppe", "personal protective equipment"),
    ("body armour", "body armor", "ballistic vest", "armoured vest", "armored vest", "flak jacket"),
    ("armour", "armor"),
    ("genset", "generator", "generating set", "generator set"),
    ("ups", "uninterruptible power supply", "uninterruptable power supply"),
    ("solar panel", "photovoltaic", "pv panel", "solar module"),
    # Cost and general spelling.
    ("low cost", "low-cost", "cheap", "inexpensive", "affordable"),
    ("defence", "defense"),
    ("spares", "spare", "spare parts", "spare part", "replacement parts"),
    ("ai", "artificial intelligence"),
)

DEFAULT_BROADER_TERMS: tuple[tuple[str, str], ...] = (
    ("quadcopter", "drone"),
    ("multirotor", "drone"),
    ("fpv", "drone"),
    ("loitering munition", "drone"),
    ("shahed", "drone"),
    ("ugv", "vehicle"),
    ("usv", "vessel"),
    ("nvg", "night"),
    ("thermal imager", "night"),
    ("body armour", "armour"),
    ("ifak", "first aid kit"),
    ("medevac", "evacuation"),
    ("casevac", "evacuation"),
)

# (triggers, product terms): any trigger in the requirement adds the product terms to its query.
# A trigger of several words matches when they all occur close together, in any order.
DEFAULT_CONCEPTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("shahed", "one-way attack drone", "loitering munition", "cruise missile"),
        ("interceptor", "counter-uas", "air defence", "shorad", "gun", "acoustic"),
    ),
    (
        ("cheap kill", "cost per kill", "low cost intercept", "shoot down", "take down drone"),
        ("interceptor", "kinetic", "gun", "effector"),
    ),
    (
        ("night", "dark", "darkness", "low light", "poor visibility"),
        ("thermal imager", "night vision", "infrared", "intensifier"),
    ),
    (
        (
            "keep light",
            "grid down",
            "power cut",
            "blackout",
            "outage",
            "mains power",
            "off grid",
            "loss of power",
        ),
        ("generator", "power station", "battery", "energy storage", "ups", "solar panel", "kva"),
    ),
    (
        ("restore power", "damaged substation", "repair grid", "grid repair", "power line"),
        ("transformer", "substation", "cable", "switchgear", "grid repair"),
    ),
    (
        ("cold", "freezing", "winter", "warm", "frost"),
        ("heater", "heating", "stove", "insulated", "sleeping bag"),
    ),
    (
        ("gnss denied", "gnss jamming", "spoofing", "drift", "without satellite", "jammed gnss"),
        ("anti-jam", "crpa", "inertial navigation", "visual navigation", "gnss resilience"),
    ),
    (
        (
            "see drone",
            "spot drone",
            "detect drone",
            "drone warning",
            "early warning",
            "approaching drone",
        ),
        ("radar", "rf detector", "acoustic sensor", "drone detection", "direction finding"),
    ),
    (
        ("stop drone", "jam drone", "bring down drone", "defeat drone", "drone threat"),
        ("jammer", "counter-uas", "effector", "rf jammer"),
    ),
    (
        ("mine", "minefield", "route clearance", "clear route", "cleared lane", "ied"),
        ("mine detector", "ground penetrating radar", "metal detector", "flail", "demining"),
    ),
    (
        ("haemorrhage", "wound", "trauma", "stop bleed", "gunshot", "blast injury"),
        ("tourniquet", "haemostatic", "pressure bandage", "ifak", "first aid"),
    ),
    (
        ("casevac", "evacuate wounded", "move casualty", "extract casualty", "zero line"),
        ("stretcher", "ugv", "medevac", "evacuation", "litter"),
    ),
    (
        ("resupply", "last mile", "carry load", "deliver supplies", "ammunition delivery"),
        ("logistics", "ugv", "heavy lift", "cargo", "payload"),
    ),
    (
        ("stay in contact", "talk securely", "lose comms", "jammed radio", "communications"),
        ("radio", "manet", "frequency hopping", "satcom", "encryption"),
    ),
    (
        ("remote position", "internet", "connectivity", "no signal", "backhaul"),
        ("satcom", "satellite terminal", "manet", "antenna"),
    ),
    (
        ("dugout", "trench", "fortify", "protect position", "overhead cover"),
        ("fortification", "gabion", "shelter", "bunker", "revetment"),
    ),
    (
        ("drinking water", "clean water", "water supply"),
        ("water purification", "filter", "reverse osmosis", "water treatment"),
    ),
    (
        ("hide", "avoid detection", "concealment", "thermal signature"),
        ("camouflage", "signature", "multispectral", "decoy"),
    ),
    (
        ("shrapnel", "fragment", "bullet", "small arms fire", "stop round"),
        ("body armour", "plate", "ballistic", "helmet"),
    ),
    (
        ("protect vehicle", "vehicle protection", "drone strike vehicle"),
        ("vehicle armour", "slat armour", "anti-drone net", "cage", "rf jammer"),
    ),
    (
        ("find artillery", "locate gun", "enemy artillery", "counter-battery"),
        ("radar", "acoustic", "sound ranging", "weapon locating radar"),
    ),
    (
        ("enemy radio", "intercept communications", "listen enemy", "locate emitter"),
        ("sigint", "direction finding", "spectrum monitoring", "receiver"),
    ),
    (
        ("watch front", "observation", "recon", "reconnaissance", "surveillance", "spotting"),
        ("isr", "camera", "zoom", "gimbal", "thermal imager", "radar"),
    ),
    (
        ("train operator", "teach", "qualify crew", "training for crew"),
        ("training", "course", "simulator", "instructor"),
    ),
    (
        ("keep running", "breakdown", "repair vehicle", "maintenance", "worn out"),
        ("spares", "repair", "servicing", "maintenance"),
    ),
    (
        ("coastal", "sea", "naval", "harbour", "black sea"),
        ("usv", "maritime", "boat", "vessel"),
    ),
    (
        ("hacking", "cyber attack", "network defence", "ransomware"),
        ("cyber", "intrusion", "firewall", "siem"),
    ),
    (
        ("common picture", "situational awareness", "battle management", "target handoff"),
        ("c2", "battlefield", "map", "tablet"),
    ),
    (
        ("spot target automatically", "automatic target", "recognise target", "target recognition"),
        ("ai", "computer vision", "neural network", "machine learning"),
    ),
)

# Kinds of offer that support kit rather than being it, recognised in a capability's name.
# Terms must be single words or synonym phrases.
SUPPORT_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("spares", ("spares", "consumables")),
    ("training", ("training", "course", "instructor", "syllabus")),
)

# Kept short on purpose: words that carry meaning in this domain ("down", "off", "over",
# "against", "night") are not stopwords.
_STOPWORD_TEXT = """
    a about above after again all also am an and any are as at be been before being below
    between both but by can could did do does doing during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of on once only or other our ours ourselves own same she should so some such
    than that the their theirs them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your yours
    per via etc eg ie must need needs needed require requires required requirement please us
    """
ENGLISH_STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

CERTIFICATION_LABELS: dict[str, str] = {
    "ISO9001": "ISO 9001",
    "AS9100": "AS9100",
    "AQAP2110": "AQAP 2110",
    "ISO27001": "ISO 27001",
    "CYBER_ESSENTIALS": "Cyber Essentials",
    "CYBER_ESSENTIALS_PLUS": "Cyber Essentials Plus",
    "JOSCAR": "JOSCAR",
}
