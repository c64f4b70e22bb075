"""The demo data set `manage.py seed_demo` loads: plain data, no behaviour.

Invented UK firms and Ukrainian requirements for showing the portal. Dates are offsets from
today (Kyiv time), so the demo always looks current. Natural keys (e-mail, Companies House
number, capability reference per firm, requirement reference) are what makes re-running the
command a no-op: change a key here and the next run adds a new row instead of editing one.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_DOMAIN = "demo.kyiv-hub.example"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    name_uk: str


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: str
    label: str
    is_staff: bool = False
    is_superuser: bool = False
    organisation: str = ""
    firm: str = ""


@dataclass(frozen=True)
class DemoCapability:
    reference: str
    name: str
    category: str
    trl: int
    price: str | None
    capacity: int
    lead_weeks: int
    rating: str
    licence: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    itar_free: bool = True
    field_proven: bool = False
    active: bool = True


@dataclass(frozen=True)
class DemoFirm:
    companies_house_number: str
    name: str
    postcode: str
    employees: int
    turnover: str
    website: str
    description: str
    capabilities: tuple[DemoCapability, ...]
    # (code, expiry in days from today; negative = already expired; None = no expiry)
    certifications: tuple[tuple[str, int | None], ...] = ()
    state: str = "VERIFIED"
    note: str = ""
    list_x: bool = False
    list_x_claimed: bool = False


@dataclass(frozen=True)
class DemoRequirement:
    reference: str
    status: str
    category: str
    priority: str
    title: str
    description: str
    title_uk: str
    description_uk: str
    quantity: int
    unit: str
    needed_in_days: int
    min_trl: int
    submitted_days_ago: int
    organisation: str
    source_organisation: str
    budget: str | None = None
    certifications: tuple[str, ...] = ()
    itar_free_required: bool = False
    classification: str = "OFFICIAL"
    # The note on the last step (the reason for a rejection or a closure).
    final_note: str = ""
    duplicate_of: str = ""


@dataclass(frozen=True)
class DemoFieldReport:
    firm: str
    capability: str
    rating: int
    conditions: tuple[str, ...]
    summary: str
    days_ago: int
    author: str
    author_unit: str
    requirement: str = ""


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        slug="mod-procurement",
        name="Ministry of Defence of Ukraine, Procurement Directorate",
        name_uk="Міністерство оборони України, Департамент закупівель",
    ),
    DemoOrganisation(
        slug="kharkiv-liaison",
        name="Kharkiv Brigades Liaison Cell",
        name_uk="Осередок взаємодії бригад Харківського напрямку",
    ),
    DemoOrganisation(
        slug="medical-command",
        name="Medical Forces Command, Liaison Office",
        name_uk="Командування Медичних сил, відділ взаємодії",
    ),
)

# Keys of the accounts the rest of the data refers to.
STAFF = "staff@" + DEMO_DOMAIN
REQUESTER_MOD = "requester.mod@" + DEMO_DOMAIN
REQUESTER_KHARKIV = "requester.kharkiv@" + DEMO_DOMAIN

# One account per role of the permission cast. The passwords are fixed and printed by the
# command so a demo can start straight away; they pass Django's password validators.
ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        email="admin@" + DEMO_DOMAIN,
        password="demo-admin-Kyiv-2026",  # noqa: S106 - public demo account (README)
        full_name="Demo Administrator",
        role="STAFF",
        label="superuser (Django admin)",
        is_staff=True,
        is_superuser=True,
    ),
    DemoAccount(
        email=STAFF,
        password="demo-staff-Kyiv-2026",  # noqa: S106 - public demo account (README)
        full_name="Iryna Bondarenko",
        role="STAFF",
        label="hub staff",
        is_staff=True,
    ),
    DemoAccount(
        email="supplier.verified@" + DEMO_DOMAIN,
        password="demo-supplier-Bristol-2026",  # noqa: S106 - public demo account (README)
        full_name="Tom Ashworth",
        role="SUPPLIER",
        label="supplier, verified firm (Skyguard Interceptors Ltd)",
        firm="13458802",
    ),
    DemoAccount(
        email="supplier.unverified@" + DEMO_DOMAIN,
        password="demo-supplier-Taunton-2026",  # noqa: S106 - public demo account (README)
        full_name="Rachel Penrose",
        role="SUPPLIER",
        label="supplier, unverified firm (Quantock Field Heating Ltd)",
        firm="14820367",
    ),
    DemoAccount(
        email="supplier.listx@" + DEMO_DOMAIN,
        password="demo-supplier-Warwick-2026",  # noqa: S106 - public demo account (README)
        full_name="David Okafor",
        role="SUPPLIER",
        label="supplier, List X firm (Wyvern Autonomy Ltd)",
        firm="08815243",
    ),
    DemoAccount(
        email=REQUESTER_MOD,
        password="demo-requester-Kyiv-2026",  # noqa: S106 - public demo account (README)
        full_name="Andrii Shevchuk",
        role="REQUESTER",
        label="requester (MoD Procurement Directorate)",
        organisation="mod-procurement",
    ),
    DemoAccount(
        email=REQUESTER_KHARKIV,
        password="demo-requester-Kharkiv-2026",  # noqa: S106 - public demo account (README)
        full_name="Oksana Tkachenko",
        role="REQUESTER",
        label="requester (Kharkiv Brigades Liaison Cell)",
        organisation="kharkiv-liaison",
    ),
)


FIRMS: tuple[DemoFirm, ...] = (
    DemoFirm(
        companies_house_number="13458802",
        name="Skyguard Interceptors Ltd",
        postcode="BS16 1QY",
        employees=42,
        turnover="6800000",
        website="https://www.skyguard-interceptors.example",
        description=(
            "Bristol start-up building low-cost interceptor drones for point defence of energy "
            "sites, with production scaled through automotive suppliers in the South West."
        ),
        certifications=(("ISO9001", 410), ("AS9100", 20)),
        capabilities=(
            DemoCapability(
                reference="SGI-HAWK-4",
                name="Hawk-4 interceptor quadcopter",
                category="UAS.INTERCEPTOR",
                trl=7,
                price="2900",
                capacity=300,
                lead_weeks=6,
                rating="ML10",
                licence="SIEL_HELD",
                description=(
                    "Carbon quadcopter reaching 280 km/h in a dive, thermal camera and "
                    "operator-guided terminal phase for one-way attack drones at night."
                ),
                keywords=("interceptor", "shahed", "geran", "quadcopter", "thermal", "night"),
                field_proven=True,
            ),
            DemoCapability(
                reference="SGI-HAWK-4T",
                name="Hawk-4T interceptor with thermal auto-lock",
                category="UAS.INTERCEPTOR",
                trl=6,
                price="4600",
                capacity=120,
                lead_weeks=8,
                rating="ML10",
                licence="APPLIED",
                description=(
                    "Hawk-4 airframe with an onboard tracker that holds a thermal lock through "
                    "the final 300 m when the video link is jammed."
                ),
                keywords=("interceptor", "shahed", "autonomous terminal guidance", "ew resistant"),
            ),
            DemoCapability(
                reference="SGI-GS-01",
                name="Interceptor ground station and launch rail",
                category="UAS.COMPONENTS",
                trl=7,
                price="8500",
                capacity=40,
                lead_weeks=6,
                rating="ML10",
                licence="SIEL_HELD",
                description=(
                    "Rugged ground station with directional antennas, goggles and a quick-launch "
                    "rail; ties into acoustic early-warning feeds."
                ),
                keywords=("ground control station", "launcher", "interceptor"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="11872034",
        name="Pennine Avionics Ltd",
        postcode="S9 1XH",
        employees=65,
        turnover="9200000",
        website="https://www.pennine-avionics.example",
        description=(
            "Sheffield avionics house making navigation and flight-control electronics for "
            "civil and defence drones."
        ),
        certifications=(("ISO9001", 300), ("AS9100", 190)),
        capabilities=(
            DemoCapability(
                reference="PA-NAVX-2",
                name="NavX-2 GNSS-resilient navigation module",
                category="EW.GNSS_RESILIENCE",
                trl=7,
                price="3100",
                capacity=250,
                lead_weeks=6,
                rating="7A003.a",
                licence="SIEL_HELD",
                description=(
                    "Inertial and visual-odometry navigation module holding drift under 0.8% "
                    "of distance flown with GNSS denied."
                ),
                keywords=(
                    "gnss denied",
                    "inertial navigation",
                    "visual odometry",
                    "anti-jam",
                    "long range",
                ),
                field_proven=True,
            ),
            DemoCapability(
                reference="PA-CRPA-4",
                name="Four-element CRPA anti-jam antenna",
                category="EW.GNSS_RESILIENCE",
                trl=8,
                price="2400",
                capacity=300,
                lead_weeks=5,
                rating="ML11",
                licence="SIEL_HELD",
                description=(
                    "Controlled reception pattern antenna nulling up to three jammers; drops into "
                    "common GNSS receivers."
                ),
                keywords=("crpa", "anti-jam", "gnss", "antenna"),
            ),
            DemoCapability(
                reference="PA-FC-7",
                name="Hardened flight controller with encrypted telemetry",
                category="UAS.COMPONENTS",
                trl=7,
                price="640",
                capacity=1200,
                lead_weeks=4,
                rating="ML10",
                licence="OGEL_REGISTERED",
                description=(
                    "Flight controller with a tamper-resistant enclosure and AES-encrypted "
                    "telemetry for medium drones."
                ),
                keywords=("flight controller", "autopilot", "encrypted"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="SC587310",
        name="Caledonian Radar Systems Ltd",
        postcode="EH54 7EJ",
        employees=120,
        turnover="18400000",
        website="https://www.caledonian-radar.example",
        description=(
            "Livingston radar designer supplying ground surveillance and counter-drone radars to "
            "NATO customers."
        ),
        certifications=(("ISO9001", 520), ("AQAP2110", 380), ("CYBER_ESSENTIALS_PLUS", 160)),
        list_x_claimed=True,
        capabilities=(
            DemoCapability(
                reference="CRS-SKYWATCH-3D",
                name="SkyWatch 3D counter-drone radar",
                category="CUAS.DETECT",
                trl=8,
                price="185000",
                capacity=6,
                lead_weeks=14,
                rating="ML5",
                licence="SIEL_HELD",
                description=(
                    "X-band 3D radar tracking small drones at 7 km and one-way attack drones at "
                    "20 km; ASTERIX output to air-defence C2."
                ),
                keywords=("radar", "counter-drone", "shahed", "early warning", "c2 integration"),
                field_proven=True,
            ),
            DemoCapability(
                reference="CRS-PORTA-R",
                name="Man-portable drone detection radar",
                category="CUAS.DETECT",
                trl=7,
                price="62000",
                capacity=10,
                lead_weeks=10,
                rating="ML5",
                licence="SIEL_HELD",
                description=(
                    "Two-person portable radar for FPV and reconnaissance drone warning at "
                    "company level; runs on a 24 V vehicle supply."
                ),
                keywords=("radar", "fpv warning", "portable", "drone detection"),
            ),
            DemoCapability(
                reference="CRS-GSR-2",
                name="Ground surveillance radar",
                category="ISR.RADAR",
                trl=8,
                price="140000",
                capacity=4,
                lead_weeks=16,
                rating="ML5",
                licence="OIEL_HELD",
                description=(
                    "Ground surveillance radar detecting walking personnel at 12 km and "
                    "vehicles at 24 km."
                ),
                keywords=("ground surveillance", "radar", "perimeter"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="10284471",
        name="Fellside Acoustics Ltd",
        postcode="LA9 6NH",
        employees=14,
        turnover="1100000",
        website="https://www.fellside-acoustics.example",
        description=(
            "Kendal acoustic engineers turning environmental noise monitoring into low-cost "
            "early warning of drones and cruise missiles."
        ),
        certifications=(("ISO9001", 240),),
        capabilities=(
            DemoCapability(
                reference="FA-EAR-10",
                name="Acoustic drone detection node",
                category="ISR.ACOUSTIC",
                trl=7,
                price="1450",
                capacity=250,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Solar-powered microphone array recognising Shahed-type engine signatures "
                    "at 4-6 km and reporting bearings over LTE or mesh radio."
                ),
                keywords=("acoustic", "shahed", "early warning", "microphone", "sensor network"),
                field_proven=True,
            ),
            DemoCapability(
                reference="FA-HUB-1",
                name="Acoustic sensor fusion server",
                category="SW.C2",
                trl=6,
                price="24000",
                capacity=5,
                lead_weeks=6,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Fuses bearings from acoustic nodes into tracks and pushes them to mobile "
                    "fire group tablets."
                ),
                keywords=("sensor fusion", "tracks", "mobile fire groups"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="SC698124",
        name="Thistle RF Ltd",
        postcode="G20 0SP",
        employees=28,
        turnover="3400000",
        website="https://www.thistle-rf.example",
        description=(
            "Glasgow RF design company producing jammers and passive RF detectors for "
            "counter-drone use."
        ),
        certifications=(("ISO9001", 12), ("CYBER_ESSENTIALS", 200)),
        capabilities=(
            DemoCapability(
                reference="TRF-SHIELD-6",
                name="Six-band vehicle-mounted drone jammer",
                category="CUAS.JAM",
                trl=8,
                price="38000",
                capacity=15,
                lead_weeks=8,
                rating="ML11",
                licence="SIEL_HELD",
                description=(
                    "Covers 400 MHz to 6 GHz control and video bands around a moving vehicle; "
                    "programmable for new FPV frequencies in the field."
                ),
                keywords=("jammer", "fpv", "vehicle protection", "counter-drone", "ew"),
                field_proven=True,
            ),
            DemoCapability(
                reference="TRF-POCKET",
                name="Wearable FPV jammer",
                category="CUAS.JAM",
                trl=7,
                price="3200",
                capacity=200,
                lead_weeks=5,
                rating="ML11",
                licence="APPLIED",
                description=(
                    "Body-worn dome jammer giving a squad about 80 m of protection against "
                    "analogue FPV video links."
                ),
                keywords=("jammer", "fpv", "trench", "personal protection"),
            ),
            DemoCapability(
                reference="TRF-SNIFF-2",
                name="Passive RF drone detector",
                category="CUAS.DETECT",
                trl=8,
                price="4800",
                capacity=120,
                lead_weeks=4,
                rating="ML11",
                licence="SIEL_HELD",
                description=(
                    "Handheld passive detector that identifies drone control links and bearing "
                    "without emitting."
                ),
                keywords=("rf detector", "passive", "drone detection", "direction finding"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="09377520",
        name="Brecon Power Systems Ltd",
        postcode="CF48 4TQ",
        employees=55,
        turnover="7500000",
        website="https://www.breconpower.example",
        description=(
            "Merthyr Tydfil generator packager supplying hospitals, telecoms and the "
            "construction industry."
        ),
        certifications=(("ISO9001", 350),),
        capabilities=(
            DemoCapability(
                reference="BPS-G30",
                name="30 kVA containerised diesel generator",
                category="ENERGY.GENERATION",
                trl=9,
                price="14500",
                capacity=40,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Sound-attenuated 30 kVA set in a 10 ft container with a 48-hour fuel tank."
                ),
                keywords=("generator", "genset", "diesel", "containerised"),
                field_proven=True,
            ),
            DemoCapability(
                reference="BPS-G100",
                name="100 kVA hospital standby generator with ATS",
                category="ENERGY.GENERATION",
                trl=9,
                price="38000",
                capacity=15,
                lead_weeks=6,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "100 kVA standby set with automatic transfer switch, cold-start kit to "
                    "-30 °C and a 12-month spares pack."
                ),
                keywords=("generator", "hospital", "automatic transfer switch", "cold start"),
                field_proven=True,
            ),
            DemoCapability(
                reference="BPS-SILENT-8",
                name="8 kW silenced tactical generator",
                category="ENERGY.GENERATION",
                trl=9,
                price="6900",
                capacity=80,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Two-person-lift 8 kW generator with exhaust cooling to reduce its thermal "
                    "signature."
                ),
                keywords=("generator", "silent", "low signature", "portable"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="12650918",
        name="Voltaic Storage Ltd",
        postcode="MK5 8HD",
        employees=36,
        turnover="4900000",
        website="https://www.voltaic-storage.example",
        description="Milton Keynes battery integrator building LFP storage for off-grid sites.",
        certifications=(("ISO9001", 280), ("CYBER_ESSENTIALS", 95)),
        capabilities=(
            DemoCapability(
                reference="VS-BAT-60",
                name="60 kWh containerised battery storage",
                category="ENERGY.STORAGE",
                trl=8,
                price="41000",
                capacity=12,
                lead_weeks=8,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "LFP battery container with a 30 kW inverter, heated for operation to -25 °C."
                ),
                keywords=("battery", "energy storage", "lfp", "container"),
            ),
            DemoCapability(
                reference="VS-PACK-2",
                name="2 kWh man-portable power pack",
                category="ENERGY.STORAGE",
                trl=9,
                price="1650",
                capacity=400,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "24 kg power pack with solar input and USB-C, 12 V and 230 V outputs for "
                    "radios, drones and laptops."
                ),
                keywords=("power bank", "battery", "solar", "portable"),
                field_proven=True,
            ),
            DemoCapability(
                reference="VS-HYB-15",
                name="Hybrid solar-battery-generator kit for command posts",
                category="ENERGY.STORAGE",
                trl=8,
                price="18500",
                capacity=20,
                lead_weeks=6,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "15 kWh battery, folding solar array and auto-start control for an external "
                    "generator, so generators run only a few hours a day."
                ),
                keywords=("hybrid power", "command post", "battery", "silent", "solar"),
                field_proven=True,
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="04519872",
        name="Northgrid Restoration plc",
        postcode="NE29 7UT",
        employees=310,
        turnover="47500000",
        website="https://www.northgrid.example",
        description=(
            "North Shields electrical contractor and equipment supplier restoring distribution "
            "networks after storms and, since 2022, after strikes."
        ),
        certifications=(("ISO9001", 600), ("ISO27001", 420)),
        capabilities=(
            DemoCapability(
                reference="NGR-TX-KIT",
                name="Distribution transformer rapid-replacement kit",
                category="ENERGY.GRID_REPAIR",
                trl=9,
                price="265000",
                capacity=3,
                lead_weeks=12,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Pre-assembled 10/0.4 kV transformer, switchgear and cabling to restore a "
                    "damaged substation bay within 48 hours."
                ),
                keywords=("transformer", "substation", "grid repair", "energy infrastructure"),
            ),
            DemoCapability(
                reference="NGR-LINE-KIT",
                name="Overhead line emergency repair kit",
                category="ENERGY.GRID_REPAIR",
                trl=9,
                price="9800",
                capacity=60,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Poles, conductors, insulators and tools for a crew to repair 1 km of "
                    "damaged overhead line."
                ),
                keywords=("power line", "grid repair", "restoration"),
            ),
            DemoCapability(
                reference="NGR-MOB-SUB",
                name="Mobile 6 MVA substation on trailer",
                category="ENERGY.GRID_REPAIR",
                trl=9,
                price="1150000",
                capacity=1,
                lead_weeks=26,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Trailer-mounted 35/10 kV substation that bypasses a destroyed site while "
                    "it is rebuilt."
                ),
                keywords=("mobile substation", "grid repair", "trailer"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="14820367",
        name="Quantock Field Heating Ltd",
        postcode="TA1 2PX",
        employees=12,
        turnover="900000",
        website="https://www.quantock-heating.example",
        description=(
            "Taunton maker of stoves and heaters for camping and agriculture, newly registered "
            "with the hub."
        ),
        state="UNVERIFIED",
        capabilities=(
            DemoCapability(
                reference="QFH-DUG-3",
                name="Low-signature dugout stove",
                category="ENERGY.HEATING",
                trl=8,
                price="340",
                capacity=1500,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "3 kW multi-fuel stove with a baffled, cooled flue and a carbon monoxide "
                    "alarm; 9 kg."
                ),
                keywords=("stove", "dugout", "heating", "low signature", "winter"),
            ),
            DemoCapability(
                reference="QFH-DH-12",
                name="12 kW diesel space heater",
                category="ENERGY.HEATING",
                trl=9,
                price="1250",
                capacity=300,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Indirect-fired diesel heater for tents and shelters, 12 V or 230 V.",
                keywords=("diesel heater", "shelter", "tent", "winter"),
            ),
            DemoCapability(
                reference="QFH-LINER",
                name="Thermal liner set for field tents",
                category="ENG.SHELTER",
                trl=9,
                price="420",
                capacity=600,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="07723156",
        name="Ridgeway Shelters Ltd",
        postcode="SN5 7DL",
        employees=80,
        turnover="11200000",
        website="https://www.ridgeway-shelters.example",
        description=(
            "Swindon manufacturer of rapidly deployable shelters for events, disaster relief "
            "and defence."
        ),
        certifications=(("ISO9001", 330), ("AQAP2110", 210)),
        capabilities=(
            DemoCapability(
                reference="RS-MOD-20",
                name="Insulated modular field shelter, 6 x 10 m",
                category="ENG.SHELTER",
                trl=9,
                price="9200",
                capacity=50,
                lead_weeks=5,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Aluminium-frame shelter with insulated panels, erected by six people in two "
                    "hours."
                ),
                keywords=("shelter", "tent", "insulated", "winter"),
                field_proven=True,
            ),
            DemoCapability(
                reference="RS-MED-SH",
                name="Field surgical shelter with clean-room liner",
                category="ENG.SHELTER",
                trl=9,
                price="27000",
                capacity=12,
                lead_weeks=8,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Shelter with positive-pressure filtration, lighting and power distribution "
                    "for a forward surgical team."
                ),
                keywords=("surgical shelter", "field hospital", "clean room"),
            ),
            DemoCapability(
                reference="RS-BLAST-PANEL",
                name="Blast-resistant shelter panels",
                category="ENG.FORTIFICATION",
                trl=8,
                price="1900",
                capacity=800,
                lead_weeks=6,
                rating="ML13",
                licence="OGEL_REGISTERED",
                description=(
                    "Composite panels lining shelters against fragments and blast overpressure."
                ),
                keywords=("blast protection", "fragmentation", "shelter", "panels"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="NI634518",
        name="Lagan Water Technologies Ltd",
        postcode="BT3 9DT",
        employees=24,
        turnover="2700000",
        website="https://www.lagan-water.example",
        description=(
            "Belfast water treatment company supplying humanitarian agencies with purification "
            "units."
        ),
        certifications=(("ISO9001", 450),),
        capabilities=(
            DemoCapability(
                reference="LWT-RO-2000",
                name="Trailer-mounted reverse osmosis unit, 2,000 l/h",
                category="ENG.WATER",
                trl=9,
                price="48000",
                capacity=8,
                lead_weeks=8,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Pre-filtration, RO and UV stages producing drinking water from rivers or "
                    "contaminated mains; own generator."
                ),
                keywords=("water purification", "reverse osmosis", "drinking water", "trailer"),
                field_proven=True,
            ),
            DemoCapability(
                reference="LWT-BOTTLE",
                name="Personal filter bottle, 0.1 micron",
                category="ENG.WATER",
                trl=9,
                price="28",
                capacity=20000,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Hollow-fibre filter bottle rated for 1,500 litres.",
                keywords=("water filter", "personal", "bottle"),
            ),
            DemoCapability(
                reference="LWT-CHLOR",
                name="Field chlorination and water testing kit",
                category="ENG.WATER",
                trl=9,
                price="310",
                capacity=1000,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="06132984",
        name="Sentinel Medical Supplies Ltd",
        postcode="NG7 2RD",
        employees=48,
        turnover="8100000",
        website="https://www.sentinel-medical.example",
        description=(
            "Nottingham supplier of pre-hospital trauma care products to ambulance services and "
            "armed forces."
        ),
        certifications=(("ISO9001", 28),),
        capabilities=(
            DemoCapability(
                reference="SMS-TQ-W7",
                name="Windlass tourniquet, CoTCCC-recommended design",
                category="MED.FIRST_AID",
                trl=9,
                price="17.50",
                capacity=40000,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Windlass tourniquet made under licence, each batch pull-tested; supplied with "
                    "test certificates."
                ),
                keywords=("tourniquet", "haemorrhage control", "ifak", "first aid"),
                field_proven=True,
            ),
            DemoCapability(
                reference="SMS-IFAK",
                name="Individual first aid kit, NATO pattern",
                category="MED.FIRST_AID",
                trl=9,
                price="64",
                capacity=12000,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Two tourniquets, haemostatic gauze, vented chest seal, pressure bandage, "
                    "shears and casualty card in a MOLLE pouch."
                ),
                keywords=("ifak", "first aid kit", "tourniquet", "chest seal"),
                field_proven=True,
            ),
            DemoCapability(
                reference="SMS-TRAUMA-BAG",
                name="Combat medic trauma bag",
                category="MED.FIRST_AID",
                trl=9,
                price="420",
                capacity=1500,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Stocked backpack for a platoon medic: airway, haemorrhage, chest and "
                    "hypothermia modules."
                ),
                keywords=("medic bag", "trauma", "first aid"),
            ),
            DemoCapability(
                reference="SMS-CHEST-SEAL",
                name="Vented chest seal, twin pack",
                category="MED.FIRST_AID",
                trl=9,
                price="9.80",
                capacity=30000,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="",
                keywords=("chest seal", "first aid"),
            ),
            DemoCapability(
                reference="SMS-STRETCHER",
                name="Folding stretcher with drag harness",
                category="MED.EVACUATION",
                trl=9,
                price="145",
                capacity=3000,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Roll-up stretcher that doubles as a drag sled in trenches and mud.",
                keywords=("stretcher", "casualty evacuation", "casevac"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="SC441902",
        name="Marchmont Surgical Ltd",
        postcode="EH16 4SB",
        employees=31,
        turnover="5600000",
        website="https://www.marchmont-surgical.example",
        description=(
            "Edinburgh supplier of surgical instruments and anaesthesia equipment for austere "
            "environments."
        ),
        certifications=(("ISO9001", -15),),
        capabilities=(
            DemoCapability(
                reference="MS-FST-SET",
                name="Forward surgical team instrument set",
                category="MED.SURGICAL",
                trl=9,
                price="12600",
                capacity=30,
                lead_weeks=6,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Damage-control surgery instruments in four sterilisable cases.",
                keywords=("surgical instruments", "damage control surgery", "field hospital"),
            ),
            DemoCapability(
                reference="MS-ANAES",
                name="Portable draw-over anaesthesia unit",
                category="MED.SURGICAL",
                trl=9,
                price="8900",
                capacity=20,
                lead_weeks=8,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Anaesthesia without compressed gases, working from an oxygen concentrator."
                ),
                keywords=("anaesthesia", "field surgery", "portable"),
            ),
            DemoCapability(
                reference="MS-WARM",
                name="Casualty hypothermia prevention system",
                category="MED.EVACUATION",
                trl=9,
                price="185",
                capacity=5000,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Self-heating blanket and vapour barrier keeping a casualty warm for eight "
                    "hours during evacuation."
                ),
                keywords=("hypothermia", "casualty warming", "evacuation", "winter"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="10956730",
        name="Tamar Robotics Ltd",
        postcode="PL6 8BX",
        employees=38,
        turnover="4400000",
        website="https://www.tamar-robotics.example",
        description=(
            "Plymouth robotics firm adapting agricultural tracked platforms for logistics and "
            "casualty evacuation."
        ),
        certifications=(("ISO9001", 260), ("CYBER_ESSENTIALS", 140)),
        capabilities=(
            DemoCapability(
                reference="TR-MULE-300",
                name="MULE-300 tracked logistics UGV",
                category="UGV.LOGISTICS",
                trl=8,
                price="54000",
                capacity=12,
                lead_weeks=8,
                rating="ML6",
                licence="SIEL_HELD",
                description=(
                    "Electric tracked carrier for 300 kg over 12 km, remote-driven over mesh "
                    "radio with a fibre-optic option."
                ),
                keywords=("ugv", "ground robot", "resupply", "logistics", "tracked"),
                field_proven=True,
            ),
            DemoCapability(
                reference="TR-CASEVAC-1",
                name="Tracked casualty evacuation UGV",
                category="UGV.CASEVAC",
                trl=7,
                price="68000",
                capacity=8,
                lead_weeks=10,
                rating="ML6",
                licence="APPLIED",
                description=(
                    "MULE chassis with an insulated, covered stretcher cradle and a low thermal "
                    "signature drive; 6 km range in mud."
                ),
                keywords=("casevac", "casualty evacuation", "ugv", "stretcher", "ground robot"),
            ),
            DemoCapability(
                reference="TR-RELAY",
                name="UGV radio relay mast kit",
                category="COMMS.MESH",
                trl=7,
                price="3900",
                capacity=60,
                lead_weeks=4,
                rating="ML11",
                licence="SIEL_HELD",
                description=(
                    "Drop-off relay that extends a UGV's control link around terrain and buildings."
                ),
                keywords=("relay", "mesh", "ugv", "range extension"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="08815243",
        name="Wyvern Autonomy Ltd",
        postcode="CV34 6UW",
        employees=160,
        turnover="22000000",
        website="https://www.wyvern-autonomy.example",
        description=(
            "Warwick autonomy specialist supplying the UK MOD with uncrewed ground vehicles and "
            "multi-robot control software."
        ),
        certifications=(
            ("ISO9001", 500),
            ("AS9100", 400),
            ("CYBER_ESSENTIALS_PLUS", 150),
            ("JOSCAR", 300),
        ),
        list_x=True,
        capabilities=(
            DemoCapability(
                reference="WA-TITAN",
                name="Titan heavy logistics UGV",
                category="UGV.LOGISTICS",
                trl=7,
                price="142000",
                capacity=4,
                lead_weeks=14,
                rating="ML6",
                licence="SIEL_HELD",
                description=(
                    "Hybrid-electric 6x6 carrying 750 kg with waypoint autonomy that keeps "
                    "running when GNSS and radio links are jammed."
                ),
                keywords=("ugv", "autonomous", "resupply", "gnss denied", "heavy payload"),
            ),
            DemoCapability(
                reference="WA-AUTOKIT",
                name="Drop-in autonomy kit for light vehicles",
                category="UGV.LOGISTICS",
                trl=6,
                price="21000",
                capacity=20,
                lead_weeks=10,
                rating="ML6",
                licence="APPLIED",
                description=(
                    "Converts quad bikes and buggies to remote or autonomous resupply vehicles "
                    "in a day."
                ),
                keywords=("autonomy kit", "conversion", "resupply", "ugv"),
            ),
            DemoCapability(
                reference="WA-SWARM-C2",
                name="Multi-robot command and control software",
                category="SW.C2",
                trl=6,
                price="45000",
                capacity=10,
                lead_weeks=6,
                rating="ML21",
                licence="SIEL_HELD",
                description=(
                    "Plans and supervises missions for up to 20 ground and air robots from one "
                    "laptop."
                ),
                keywords=("c2", "swarm", "mission planning", "ugv"),
            ),
            DemoCapability(
                reference="WA-VISION",
                name="Onboard AI object recognition module",
                category="SW.AI_VISION",
                trl=6,
                price="6400",
                capacity=100,
                lead_weeks=8,
                rating="ML21",
                licence="SIEL_HELD",
                description=(
                    "Edge computer recognising vehicles, people and obstacles from day and "
                    "thermal cameras without a data link."
                ),
                keywords=("computer vision", "object detection", "edge ai", "thermal"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="05587016",
        name="Solent Maritime Drones Ltd",
        postcode="SO16 0YA",
        employees=70,
        turnover="9900000",
        website="https://www.solent-maritime.example",
        description=(
            "Southampton builder of uncrewed surface and underwater vessels for survey and defence."
        ),
        certifications=(("ISO9001", 360), ("AQAP2110", 250)),
        list_x=True,
        capabilities=(
            DemoCapability(
                reference="SMD-USV-6",
                name="6 m uncrewed surface vessel",
                category="MAR.USV",
                trl=7,
                price="210000",
                capacity=3,
                lead_weeks=16,
                rating="ML9",
                licence="SIEL_HELD",
                description=(
                    "Fast USV for coastal ISR and payload delivery with satellite and mesh links."
                ),
                keywords=("usv", "sea drone", "naval drone", "maritime isr"),
            ),
            DemoCapability(
                reference="SMD-UUV-M",
                name="Man-portable UUV for mine countermeasures",
                category="MAR.UUV",
                trl=7,
                price="96000",
                capacity=4,
                lead_weeks=14,
                rating="ML9",
                licence="SIEL_HELD",
                description=(
                    "Side-scan sonar survey vehicle that finds sea mines in ports and approaches."
                ),
                keywords=("uuv", "mine countermeasures", "sonar", "port clearance"),
            ),
            DemoCapability(
                reference="SMD-SONAR",
                name="Harbour diver-detection sonar",
                category="ISR.ACOUSTIC",
                trl=8,
                price="175000",
                capacity=2,
                lead_weeks=18,
                rating="6A001.a",
                licence="OGEL_REGISTERED",
                description=(
                    "Fixed sonar detecting divers and small underwater vehicles approaching a port."
                ),
                keywords=("sonar", "harbour protection", "underwater"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="03918457",
        name="Kestrel Optics Ltd",
        postcode="LE19 1WA",
        employees=95,
        turnover="16000000",
        website="https://www.kestrel-optics.example",
        description="Leicester thermal imaging manufacturer with its own detector packaging line.",
        certifications=(("ISO9001", 290), ("AQAP2110", 290)),
        capabilities=(
            DemoCapability(
                reference="KO-TS-640",
                name="Clip-on thermal weapon sight, 640 x 512",
                category="ISR.THERMAL",
                trl=9,
                price="6400",
                capacity=250,
                lead_weeks=8,
                rating="ML15",
                licence="SIEL_HELD",
                description=(
                    "Mounts in front of existing day optics without re-zeroing; 7 hours on two "
                    "CR123 cells at -20 °C."
                ),
                keywords=("thermal sight", "clip-on", "sniper", "night", "640"),
                field_proven=True,
            ),
            DemoCapability(
                reference="KO-TS-384",
                name="Thermal weapon sight, 384 x 288",
                category="ISR.THERMAL",
                trl=9,
                price="3100",
                capacity=400,
                lead_weeks=6,
                rating="ML15",
                licence="SIEL_HELD",
                description="Stand-alone thermal rifle sight for infantry and machine-gun teams.",
                keywords=("thermal sight", "rifle scope", "night"),
            ),
            DemoCapability(
                reference="KO-MONO-35",
                name="Handheld thermal monocular",
                category="ISR.THERMAL",
                trl=9,
                price="2200",
                capacity=600,
                lead_weeks=4,
                rating="6A003.b",
                licence="SIEL_HELD",
                description="Observation monocular detecting a person at 1.8 km.",
                keywords=("thermal monocular", "observation", "handheld"),
            ),
            DemoCapability(
                reference="KO-GIMBAL",
                name="Stabilised thermal gimbal for ISR drones",
                category="UAS.COMPONENTS",
                trl=8,
                price="5800",
                capacity=150,
                lead_weeks=6,
                rating="6A003.b",
                licence="APPLIED",
                description=(
                    "Two-axis gimbal with 640 thermal and 30x day cameras for drones over 5 kg."
                ),
                keywords=("gimbal", "thermal camera", "drone payload"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="11240695",
        name="Nightjar Vision Ltd",
        postcode="GL51 0TP",
        employees=22,
        turnover="2900000",
        website="https://www.nightjar-vision.example",
        description=(
            "Cheltenham night-vision integrator assembling goggles from European image "
            "intensifier tubes."
        ),
        certifications=(("ISO9001", 210),),
        capabilities=(
            DemoCapability(
                reference="NV-BNVG",
                name="White-phosphor binocular night-vision goggle",
                category="ISR.NIGHT_VISION",
                trl=9,
                price="4900",
                capacity=150,
                lead_weeks=10,
                rating="ML15",
                licence="SIEL_HELD",
                description=(
                    "Helmet-mounted binocular goggle with articulating pods and a low-battery "
                    "warning."
                ),
                keywords=("night vision goggles", "nvg", "white phosphor", "helmet mount"),
            ),
            DemoCapability(
                reference="NV-FUSION",
                name="Fusion night-vision and thermal monocular",
                category="ISR.NIGHT_VISION",
                trl=7,
                price="7800",
                capacity=40,
                lead_weeks=12,
                rating="ML15",
                licence="NONE",
                description=(
                    "Overlays thermal outlines on the intensified image to spot camouflaged "
                    "positions."
                ),
                keywords=("fusion", "night vision", "thermal"),
                itar_free=False,
            ),
            DemoCapability(
                reference="NV-IR-MARK",
                name="IR illuminator and marker set",
                category="ISR.NIGHT_VISION",
                trl=9,
                price="180",
                capacity=3000,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="",
                keywords=("infrared", "illuminator", "marker"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="07345562",
        name="Corran Protection Ltd",
        postcode="DE24 8BJ",
        employees=140,
        turnover="26000000",
        website="https://www.corran-protection.example",
        description="Derby body and vehicle armour manufacturer with its own ceramics plant.",
        certifications=(("ISO9001", 400), ("AQAP2110", 320), ("JOSCAR", 180)),
        capabilities=(
            DemoCapability(
                reference="CP-PLATE-IV",
                name="Stand-alone ceramic armour plate, level IV",
                category="PROT.BODY_ARMOUR",
                trl=9,
                price="240",
                capacity=6000,
                lead_weeks=6,
                rating="ML13",
                licence="SIEL_HELD",
                description=(
                    "2.6 kg multi-curve plate stopping 7.62 mm armour-piercing rounds; M and L "
                    "sizes, side plates available."
                ),
                keywords=("body armour", "armour plate", "ballistic plate", "level iv"),
                field_proven=True,
            ),
            DemoCapability(
                reference="CP-CARRIER",
                name="Modular plate carrier with soft armour",
                category="PROT.BODY_ARMOUR",
                trl=9,
                price="310",
                capacity=4000,
                lead_weeks=5,
                rating="ML13",
                licence="SIEL_HELD",
                description=(
                    "Quick-release plate carrier with fragmentation soft armour, neck and groin "
                    "protection."
                ),
                keywords=("plate carrier", "body armour", "soft armour"),
            ),
            DemoCapability(
                reference="CP-HELMET",
                name="High-cut ballistic helmet",
                category="PROT.BODY_ARMOUR",
                trl=9,
                price="390",
                capacity=2500,
                lead_weeks=8,
                rating="ML13",
                licence="OGEL_REGISTERED",
                description="Aramid helmet with rails and a night-vision mount.",
                keywords=("helmet", "ballistic helmet"),
            ),
            DemoCapability(
                reference="CP-PICKUP-KIT",
                name="Add-on armour kit for pick-up trucks",
                category="PROT.VEHICLE_ARMOUR",
                trl=8,
                price="18500",
                capacity=25,
                lead_weeks=10,
                rating="ML13",
                licence="APPLIED",
                description=(
                    "Bolt-on cab and floor armour against small arms and blast for common pick-ups."
                ),
                keywords=("vehicle armour", "pick-up", "blast protection"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="13001748",
        name="Fenland Camouflage Ltd",
        postcode="PE2 6FL",
        employees=18,
        turnover="1600000",
        website="https://www.fenland-camouflage.example",
        description=(
            "Peterborough textile firm making multispectral camouflage, registering with the "
            "hub to export for the first time."
        ),
        state="UNVERIFIED",
        capabilities=(
            DemoCapability(
                reference="FC-MCS-NET",
                name="Multispectral camouflage net",
                category="PROT.SIGNATURE",
                trl=8,
                price="1350",
                capacity=500,
                lead_weeks=4,
                rating="ML17",
                licence="NONE",
                description=(
                    "Reduces visual, near-infrared, thermal and radar signature of vehicles and "
                    "positions."
                ),
                keywords=("camouflage", "thermal", "signature", "net"),
            ),
            DemoCapability(
                reference="FC-CLOAK",
                name="Thermal signature-reducing cloak",
                category="PROT.SIGNATURE",
                trl=7,
                price="220",
                capacity=2000,
                lead_weeks=3,
                rating="ML17",
                licence="APPLIED",
                description="Lightweight cloak hiding a soldier from drone thermal cameras.",
                keywords=("thermal cloak", "anti-thermal", "signature management"),
            ),
            DemoCapability(
                reference="FC-DECOY",
                name="Inflatable vehicle decoy",
                category="PROT.SIGNATURE",
                trl=8,
                price="7900",
                capacity=30,
                lead_weeks=6,
                rating="ML17",
                licence="NONE",
                description=(
                    "Inflatable decoy with heated panels and radar reflectors imitating an "
                    "armoured vehicle."
                ),
                keywords=("decoy", "deception", "inflatable"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="SC734210",
        name="Cairngorm Aerial Systems Ltd",
        postcode="IV2 5NA",
        employees=26,
        turnover="3100000",
        website="https://www.cairngorm-aerial.example",
        description=(
            "Inverness drone maker supplying mountain rescue and fisheries, now defence ISR."
        ),
        certifications=(("ISO9001", 230),),
        capabilities=(
            DemoCapability(
                reference="CAS-OWL",
                name="Owl fixed-wing ISR drone",
                category="UAS.ISR",
                trl=8,
                price="38000",
                capacity=10,
                lead_weeks=8,
                rating="ML10",
                licence="SIEL_HELD",
                description=(
                    "Four-hour endurance fixed-wing drone with day and thermal gimbal, "
                    "launched by bungee."
                ),
                keywords=("uav", "isr", "fixed wing", "reconnaissance", "long endurance"),
                field_proven=True,
            ),
            DemoCapability(
                reference="CAS-QUAD-ISR",
                name="Quadcopter ISR drone with frequency-hopping link",
                category="UAS.ISR",
                trl=8,
                price="4300",
                capacity=200,
                lead_weeks=5,
                rating="ML10",
                licence="SIEL_HELD",
                description=(
                    "Small reconnaissance quadcopter whose link hops across three bands to "
                    "survive jamming."
                ),
                keywords=("quadcopter", "reconnaissance", "frequency hopping"),
            ),
            DemoCapability(
                reference="CAS-LIFT-40",
                name="Heavy-lift hexacopter, 40 kg payload",
                category="UAS.HEAVY_LIFT",
                trl=7,
                price="29000",
                capacity=8,
                lead_weeks=10,
                rating="ML10",
                licence="APPLIED",
                description=(
                    "Delivers 40 kg over 8 km: ammunition, blood products or batteries to "
                    "positions."
                ),
                keywords=("heavy lift", "cargo drone", "resupply"),
            ),
            DemoCapability(
                reference="CAS-STOOP",
                name="Stoop fixed-wing interceptor",
                category="UAS.INTERCEPTOR",
                trl=6,
                price="6800",
                capacity=60,
                lead_weeks=10,
                rating="ML10",
                licence="APPLIED",
                description=(
                    "220 km/h fixed-wing interceptor for pursuing jet-assisted one-way attack "
                    "drones."
                ),
                keywords=("interceptor", "fixed wing", "shahed"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="12398854",
        name="Tyneside FPV Works Ltd",
        postcode="NE8 3AH",
        employees=19,
        turnover="1800000",
        website="https://www.tyneside-fpv.example",
        description="Gateshead FPV drone assembler.",
        certifications=(("ISO9001", 25),),
        state="QUERIED",
        note="Your stated turnover does not match your latest Companies House accounts. "
        "Please upload the 2025 filed accounts or explain the difference.",
        capabilities=(
            DemoCapability(
                reference="TFW-10IN",
                name="10-inch FPV strike quadcopter",
                category="UAS.FPV",
                trl=8,
                price="420",
                capacity=3000,
                lead_weeks=3,
                rating="ML10",
                licence="NONE",
                description="10-inch FPV airframe carrying 2.5 kg over 12 km with analogue video.",
                keywords=("fpv", "first-person view", "strike drone", "10 inch"),
            ),
            DemoCapability(
                reference="TFW-7IN-FO",
                name="7-inch fibre-optic FPV",
                category="UAS.FPV",
                trl=6,
                price="1150",
                capacity=800,
                lead_weeks=6,
                rating="ML10",
                licence="APPLIED",
                description="FPV controlled through a 10 km fibre-optic spool: immune to jamming.",
                keywords=("fpv", "fibre optic", "jam resistant"),
            ),
            DemoCapability(
                reference="TFW-STACK",
                name="FPV electronics stack",
                category="UAS.COMPONENTS",
                trl=8,
                price="95",
                capacity=10000,
                lead_weeks=2,
                rating="ML10",
                licence="NONE",
                description=(
                    "Flight controller, ESC and video transmitter set matched for 7- to 10-inch "
                    "frames."
                ),
                keywords=("flight controller", "esc", "vtx", "components"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="SC812440",
        name="Borealis Satcom Ltd",
        postcode="AB12 3LF",
        employees=45,
        turnover="7200000",
        website="https://www.borealis-satcom.example",
        description="Aberdeen satellite communications firm from the offshore energy sector.",
        certifications=(("ISO9001", 390), ("ISO27001", 270), ("CYBER_ESSENTIALS_PLUS", 60)),
        capabilities=(
            DemoCapability(
                reference="BS-FLAT-KU",
                name="Flat-panel Ku-band manpack satcom terminal",
                category="COMMS.SATCOM",
                trl=8,
                price="11500",
                capacity=60,
                lead_weeks=8,
                rating="5A002.a",
                licence="SIEL_HELD",
                description=(
                    "Nine-kilogram terminal with encrypted IP link, on air in five minutes."
                ),
                keywords=("satcom", "satellite link", "manpack", "encrypted"),
            ),
            DemoCapability(
                reference="BS-LEO-VEH",
                name="Vehicle LEO satcom terminal with jamming resilience",
                category="COMMS.SATCOM",
                trl=7,
                price="18000",
                capacity=30,
                lead_weeks=10,
                rating="5A002.a",
                licence="APPLIED",
                description=(
                    "Multi-orbit vehicle terminal switching between LEO and GEO when jammed."
                ),
                keywords=("satcom", "leo", "on the move", "anti-jam"),
            ),
            DemoCapability(
                reference="BS-VSAT-HUB",
                name="Deployable VSAT hub for brigade headquarters",
                category="COMMS.SATCOM",
                trl=8,
                price="92000",
                capacity=2,
                lead_weeks=16,
                rating="ML11",
                licence="SIEL_HELD",
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="09651203",
        name="Meshwave Communications Ltd",
        postcode="RG2 6GP",
        employees=52,
        turnover="8800000",
        website="https://www.meshwave.example",
        description="Reading radio company making MANET mesh radios for public safety and defence.",
        certifications=(("ISO9001", 310), ("ISO27001", 310), ("CYBER_ESSENTIALS_PLUS", 120)),
        capabilities=(
            DemoCapability(
                reference="MW-NODE-5",
                name="MANET mesh radio node",
                category="COMMS.MESH",
                trl=8,
                price="4200",
                capacity=300,
                lead_weeks=6,
                rating="5A002.a",
                licence="SIEL_HELD",
                description=(
                    "Self-forming mesh radio carrying HD video and voice, frequency-hopping, "
                    "AES-256."
                ),
                keywords=("mesh radio", "manet", "frequency hopping", "ew resistant", "video"),
                field_proven=True,
            ),
            DemoCapability(
                reference="MW-HANDHELD",
                name="Handheld tactical radio with EW-resistant waveform",
                category="COMMS.RADIO",
                trl=8,
                price="2600",
                capacity=500,
                lead_weeks=6,
                rating="ML11",
                licence="SIEL_HELD",
                description="Squad radio with a low-probability-of-intercept waveform.",
                keywords=("tactical radio", "handheld", "lpi", "ew resistant"),
            ),
            DemoCapability(
                reference="MW-AIR-RELAY",
                name="Drone-borne mesh relay payload",
                category="COMMS.MESH",
                trl=7,
                price="3300",
                capacity=150,
                lead_weeks=5,
                rating="ML11",
                licence="APPLIED",
                description=(
                    "320 g relay that extends mesh coverage from a tethered or loitering drone."
                ),
                keywords=("relay", "mesh", "drone payload"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="08142297",
        name="Severn Demining Technologies Ltd",
        postcode="GL2 5GP",
        employees=33,
        turnover="3900000",
        website="https://www.severn-demining.example",
        description=(
            "Gloucester company developing detectors for humanitarian and military demining."
        ),
        certifications=(("ISO9001", 340), ("AQAP2110", 150)),
        capabilities=(
            DemoCapability(
                reference="SDT-DUAL",
                name="Dual-sensor mine detector",
                category="DEMINE.DETECT",
                trl=9,
                price="9400",
                capacity=80,
                lead_weeks=8,
                rating="ML4",
                licence="SIEL_HELD",
                description=(
                    "Metal detector and ground-penetrating radar in one handheld unit; finds "
                    "low-metal PMN-2 mines in wet soil."
                ),
                keywords=("mine detector", "gpr", "ground penetrating radar", "demining", "pmn"),
                field_proven=True,
            ),
            DemoCapability(
                reference="SDT-DRONE-MAG",
                name="Drone-borne magnetometer survey kit",
                category="DEMINE.DETECT",
                trl=7,
                price="24000",
                capacity=10,
                lead_weeks=10,
                rating="ML4",
                licence="APPLIED",
                description=(
                    "Surveys fields for buried ordnance from a drone, producing a map for "
                    "clearance teams."
                ),
                keywords=("magnetometer", "drone survey", "uxo", "demining"),
            ),
            DemoCapability(
                reference="SDT-SUIT",
                name="Deminer protective suit and visor",
                category="DEMINE.PPE",
                trl=9,
                price="1450",
                capacity=400,
                lead_weeks=4,
                rating="ML13",
                licence="SIEL_HELD",
                description="IMAS-compliant frontal protection with a polycarbonate visor.",
                keywords=("ppe", "deminer", "protective suit", "visor"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="06678015",
        name="Moorland Flail Engineering Ltd",
        postcode="CA11 9BN",
        employees=64,
        turnover="12300000",
        website="https://www.moorland-flail.example",
        description="Penrith agricultural engineering firm building armoured demining flails.",
        certifications=(("ISO9001", 180),),
        capabilities=(
            DemoCapability(
                reference="MFE-FLAIL-RC",
                name="Remote-controlled armoured demining flail",
                category="DEMINE.MECHANICAL",
                trl=9,
                price="410000",
                capacity=1,
                lead_weeks=20,
                rating="ML4",
                licence="SIEL_HELD",
                description="Clears 2,000 m2 an hour of anti-personnel mines, operated from 1 km.",
                keywords=("flail", "mechanical demining", "remote control", "armoured"),
                field_proven=True,
            ),
            DemoCapability(
                reference="MFE-TILLER",
                name="Tractor-mounted ground preparation tiller",
                category="DEMINE.MECHANICAL",
                trl=9,
                price="62000",
                capacity=4,
                lead_weeks=12,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Prepares vegetation and topsoil before manual clearance of farmland.",
                keywords=("tiller", "ground preparation", "agricultural land"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="10723368",
        name="Dalesman Vehicle Spares Ltd",
        postcode="BD5 8HG",
        employees=27,
        turnover="4100000",
        website="https://www.dalesman-spares.example",
        description="Bradford supplier of spares and refurbished 4x4s for utilities and charities.",
        certifications=(("ISO9001", 270),),
        capabilities=(
            DemoCapability(
                reference="DVS-SERVICE-KIT",
                name="4x4 service and repair kits",
                category="VEH.SPARES",
                trl=9,
                price="260",
                capacity=2000,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Filters, belts, brake parts and fluids for 10,000 km of service, by model."
                ),
                keywords=("spares", "service kit", "pick-up", "4x4"),
            ),
            DemoCapability(
                reference="DVS-RUNFLAT",
                name="Run-flat tyre inserts for light vehicles",
                category="VEH.SPARES",
                trl=9,
                price="340",
                capacity=1500,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Lets a pick-up drive 50 km on a punctured tyre.",
                keywords=("run-flat", "tyres", "light vehicle"),
            ),
            DemoCapability(
                reference="DVS-PICKUP",
                name="Refurbished 4x4 pick-up trucks",
                category="VEH.LIGHT",
                trl=9,
                price="16500",
                capacity=40,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Ex-utility fleet double-cab pick-ups, serviced with new tyres and battery."
                ),
                keywords=("pick-up", "4x4", "light vehicle", "refurbished"),
                field_proven=True,
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="02876431",
        name="Albion Defence Systems plc",
        postcode="GU14 6YU",
        employees=2400,
        turnover="380000000",
        website="https://www.albion-defence.example",
        description=(
            "Farnborough prime contractor for air defence, munitions and electronic warfare."
        ),
        certifications=(
            ("ISO9001", 700),
            ("AS9100", 700),
            ("AQAP2110", 700),
            ("ISO27001", 500),
            ("CYBER_ESSENTIALS_PLUS", 200),
            ("JOSCAR", 365),
        ),
        capabilities=(
            DemoCapability(
                reference="ADS-LML",
                name="Lightweight multi-role missile launcher integration",
                category="AD.SHORAD",
                trl=9,
                price="480000",
                capacity=2,
                lead_weeks=30,
                rating="ML4",
                licence="SIEL_HELD",
                description="Integrates short-range missiles on light vehicles with a radar cue.",
                keywords=("shorad", "short-range air defence", "missile launcher"),
                field_proven=True,
            ),
            DemoCapability(
                reference="ADS-CUAS-30",
                name="30 mm counter-drone turret with programmable rounds",
                category="CUAS.KINETIC",
                trl=8,
                price="1350000",
                capacity=1,
                lead_weeks=40,
                rating="ML2",
                licence="SIEL_HELD",
                description=(
                    "Radar-cued remote turret firing airburst rounds against drones at 3 km."
                ),
                keywords=("gun", "airburst", "counter-drone", "shahed"),
            ),
            DemoCapability(
                reference="ADS-155-HE",
                name="155 mm high-explosive artillery rounds",
                category="MUN.ARTILLERY",
                trl=9,
                price="3100",
                capacity=5000,
                lead_weeks=26,
                rating="ML3",
                licence="SIEL_HELD",
                description="NATO-standard 155 mm HE projectiles with charges and fuzes.",
                keywords=("155mm", "artillery", "ammunition"),
            ),
            DemoCapability(
                reference="ADS-DF-SIGINT",
                name="Tactical SIGINT direction-finding system",
                category="EW.SIGINT",
                trl=8,
                price="310000",
                capacity=2,
                lead_weeks=20,
                rating="ML11",
                licence="OIEL_HELD",
                description=(
                    "Locates drone operators and radio emitters by triangulating from three "
                    "vehicles."
                ),
                keywords=("sigint", "direction finding", "drone operator location"),
            ),
            DemoCapability(
                reference="ADS-LR-UAS",
                name="Long-range strike UAS",
                category="UAS.LONG_RANGE",
                trl=7,
                price="95000",
                capacity=20,
                lead_weeks=16,
                rating="ML10",
                licence="SIEL_HELD",
                description=(
                    "Fixed-wing one-way effector with a 700 km range and anti-jam navigation."
                ),
                keywords=("long range", "deep strike", "one-way attack"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="01794326",
        name="Pembroke Ordnance Ltd",
        postcode="SA72 6UP",
        employees=410,
        turnover="58000000",
        website="https://www.pembroke-ordnance.example",
        description="Pembroke Dock small-arms and mortar ammunition manufacturer.",
        certifications=(("ISO9001", 450), ("AQAP2110", 450), ("JOSCAR", 220)),
        capabilities=(
            DemoCapability(
                reference="PO-556",
                name="5.56 x 45 mm NATO ball ammunition",
                category="MUN.SMALL_ARMS",
                trl=9,
                price="0.62",
                capacity=4000000,
                lead_weeks=12,
                rating="ML3",
                licence="SIEL_HELD",
                description="",
                keywords=("5.56", "ammunition", "small arms"),
            ),
            DemoCapability(
                reference="PO-762",
                name="7.62 x 51 mm NATO linked ammunition",
                category="MUN.SMALL_ARMS",
                trl=9,
                price="0.95",
                capacity=1500000,
                lead_weeks=12,
                rating="ML3",
                licence="SIEL_HELD",
                description="Linked 4:1 ball and tracer for general-purpose machine guns.",
                keywords=("7.62", "ammunition", "machine gun", "linked"),
            ),
            DemoCapability(
                reference="PO-81MM",
                name="81 mm mortar bombs",
                category="MUN.ARTILLERY",
                trl=9,
                price="520",
                capacity=8000,
                lead_weeks=20,
                rating="ML3",
                licence="APPLIED",
                description="HE mortar bombs for NATO 81 mm mortars.",
                keywords=("mortar", "81mm", "ammunition"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="12093775",
        name="Kelvin Cyber Ltd",
        postcode="G2 4JR",
        employees=17,
        turnover="1500000",
        website="https://www.kelvin-cyber.example",
        description="Glasgow cyber security consultancy working with energy network operators.",
        certifications=(("ISO27001", 330), ("CYBER_ESSENTIALS_PLUS", 240)),
        capabilities=(
            DemoCapability(
                reference="KC-SOC",
                name="Managed security monitoring for critical infrastructure",
                category="SW.CYBER",
                trl=9,
                price="4800",
                capacity=10,
                lead_weeks=2,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "24/7 monitoring of grid control networks by a UK security operations centre; "
                    "priced per site per month."
                ),
                keywords=("soc", "monitoring", "critical infrastructure", "energy"),
            ),
            DemoCapability(
                reference="KC-GCS-AUDIT",
                name="Drone ground control software security audit",
                category="SW.CYBER",
                trl=9,
                price="12000",
                capacity=6,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Finds weaknesses in drone ground stations and links before the enemy does."
                ),
                keywords=("penetration test", "drone software", "security audit"),
            ),
            DemoCapability(
                reference="KC-OT-REDTEAM",
                name="OT red-team assessment for power distribution",
                category="SW.CYBER",
                trl=9,
                price="28000",
                capacity=3,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="11567390",
        name="Anvil Simulation Ltd",
        postcode="EX2 7LB",
        employees=40,
        turnover="5300000",
        website="https://www.anvil-simulation.example",
        description="Exeter simulation studio building trainers from commercial game engines.",
        certifications=(("ISO9001", 310),),
        capabilities=(
            DemoCapability(
                reference="AS-FPV-SIM",
                name="FPV pilot simulator with EW and wind effects",
                category="TRAIN.SIMULATION",
                trl=9,
                price="2900",
                capacity=100,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Trains FPV pilots on real controllers with jamming, wind and night "
                    "scenarios; instructor dashboard."
                ),
                keywords=("fpv", "simulator", "pilot training"),
                field_proven=True,
            ),
            DemoCapability(
                reference="AS-FIRES-VR",
                name="VR observer and fire-control trainer",
                category="TRAIN.SIMULATION",
                trl=8,
                price="34000",
                capacity=6,
                lead_weeks=8,
                rating="ML14",
                licence="SIEL_HELD",
                description="Trains forward observers and drone spotters to adjust artillery fire.",
                keywords=("vr", "forward observer", "artillery", "training"),
            ),
            DemoCapability(
                reference="AS-CUAS-SIM",
                name="Counter-drone operator training simulator",
                category="TRAIN.SIMULATION",
                trl=7,
                price="48000",
                capacity=4,
                lead_weeks=10,
                rating="ML14",
                licence="APPLIED",
                description=(
                    "Mobile fire group crews practise detecting and engaging one-way attack "
                    "drones at night."
                ),
                keywords=("counter-drone", "simulator", "mobile fire group", "training"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="15102284",
        name="Longbow Training Services Ltd",
        postcode="SP4 7AR",
        employees=11,
        turnover="800000",
        website="https://www.longbow-training.example",
        description=(
            "Salisbury training company run by former Army instructors; awaiting verification."
        ),
        state="UNVERIFIED",
        capabilities=(
            DemoCapability(
                reference="LTS-TCCC",
                name="Combat casualty care instructor course",
                category="TRAIN.SERVICES",
                trl=9,
                price="3600",
                capacity=48,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Two-week course in Poland training medics to instruct tactical combat "
                    "casualty care; price per trainee."
                ),
                keywords=("tccc", "medic training", "instructor course"),
            ),
            DemoCapability(
                reference="LTS-UAS-OPS",
                name="Drone operator course: ISR and interception",
                category="TRAIN.SERVICES",
                trl=9,
                price="4200",
                capacity=40,
                lead_weeks=4,
                rating="ML22",
                licence="APPLIED",
                description="Three-week course for drone crews; price per trainee.",
                keywords=("drone training", "operator course", "interceptor"),
            ),
            DemoCapability(
                reference="LTS-EOD-L3",
                name="Demining team leader course (IMAS level 3)",
                category="TRAIN.SERVICES",
                trl=9,
                price="5800",
                capacity=24,
                lead_weeks=6,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Trains demining team leaders to international standards; price per trainee."
                ),
                keywords=("demining training", "imas", "eod"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="08493312",
        name="Fortis Earthworks Ltd",
        postcode="HR2 6JT",
        employees=58,
        turnover="9400000",
        website="https://www.fortis-earthworks.example",
        description=(
            "Hereford civil engineering supplier of flood barriers and defensive structures."
        ),
        certifications=(("ISO9001", 260),),
        capabilities=(
            DemoCapability(
                reference="FE-GABION",
                name="Rapid-deployment defensive gabion units",
                category="ENG.FORTIFICATION",
                trl=9,
                price="95",
                capacity=20000,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Folding mesh-and-geotextile units filled with earth in minutes.",
                keywords=("gabion", "fortification", "barrier"),
                field_proven=True,
            ),
            DemoCapability(
                reference="FE-BUNKER",
                name="Precast concrete bunker modules",
                category="ENG.FORTIFICATION",
                trl=9,
                price="3800",
                capacity=200,
                lead_weeks=6,
                rating="NLR",
                licence="NOT_REQUIRED",
                description=(
                    "Interlocking modules forming shelters for six people, buried with an "
                    "excavator."
                ),
                keywords=("bunker", "precast", "shelter", "fortification"),
            ),
            DemoCapability(
                reference="FE-ROAD-NET",
                name="Anti-drone netting for road corridors",
                category="ENG.FORTIFICATION",
                trl=8,
                price="2400",
                capacity=500,
                lead_weeks=3,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Poles and netting covering 100 m of supply road against FPV drones.",
                keywords=("anti-drone net", "road protection", "fpv"),
            ),
        ),
    ),
    DemoFirm(
        companies_house_number="10385527",
        name="Arden Electronic Warfare Ltd",
        postcode="B7 4BP",
        employees=44,
        turnover="6100000",
        website="https://www.arden-ew.example",
        description=(
            "Birmingham electronic warfare specialist spun out of a university radar group."
        ),
        certifications=(("ISO9001", 220), ("CYBER_ESSENTIALS", 170)),
        capabilities=(
            DemoCapability(
                reference="AEW-BARRAGE",
                name="Broadband barrage jammer for position defence",
                category="EW.JAMMER",
                trl=8,
                price="21000",
                capacity=25,
                lead_weeks=8,
                rating="ML11",
                licence="SIEL_HELD",
                description=(
                    "Protects a position against drone control and video links, 300 MHz to 6 GHz."
                ),
                keywords=("jammer", "ew", "position defence", "electronic warfare"),
            ),
            DemoCapability(
                reference="AEW-SPOOF-ALARM",
                name="GNSS spoofing detector and alarm",
                category="EW.GNSS_RESILIENCE",
                trl=7,
                price="2100",
                capacity=200,
                lead_weeks=4,
                rating="NLR",
                licence="NOT_REQUIRED",
                description="Warns crews and autopilots when GNSS signals are jammed or spoofed.",
                keywords=("gnss", "spoofing detection", "jamming alarm"),
            ),
            DemoCapability(
                reference="AEW-DF",
                name="Drone control-link direction finder",
                category="EW.SIGINT",
                trl=7,
                price="16500",
                capacity=20,
                lead_weeks=8,
                rating="ML11",
                licence="APPLIED",
                description="Finds the bearing to drone pilots from their control-link emissions.",
                keywords=("direction finding", "sigint", "drone pilot"),
                active=False,
            ),
        ),
    ),
)


REQUIREMENTS: tuple[DemoRequirement, ...] = (
    DemoRequirement(
        reference="UA-2026-0101",
        status="OPEN",
        category="UAS.INTERCEPTOR",
        priority="CRITICAL",
        title="Interceptor drones against Shahed-type attack drones",
        description=(
            "Mobile fire groups defending energy infrastructure need interceptor drones able to "
            "catch Shahed/Geran-type one-way attack drones at night, at up to 185 km/h and "
            "1-3 km altitude. Operator-guided with a thermal camera, launched within five minutes "
            "of warning, effective under GNSS jamming. Quote ground stations and spare batteries "
            "separately."
        ),
        title_uk="Дрони-перехоплювачі проти ударних БпЛА типу «Шахед»",
        description_uk=(
            "Мобільним вогневим групам, що захищають об'єкти енергетики, потрібні "
            "дрони-перехоплювачі, здатні вночі наздоганяти ударні БпЛА типу «Шахед»/«Герань» на "
            "швидкості до 185 км/год і висоті 1–3 км. Керування оператором з тепловізійною "
            "камерою, запуск протягом п'яти хвилин після оповіщення, робота в умовах глушіння "
            "GNSS. Наземні станції та запасні акумулятори — окремою позицією."
        ),
        quantity=2000,
        unit="units",
        needed_in_days=75,
        min_trl=6,
        submitted_days_ago=21,
        organisation="mod-procurement",
        source_organisation="Air Force mobile fire groups, Kyiv region",
        budget="5000",
        itar_free_required=True,
    ),
    DemoRequirement(
        reference="UA-2026-0102",
        status="OPEN",
        category="ENERGY.GENERATION",
        priority="CRITICAL",
        title="Standby generators for frontline field hospitals",
        description=(
            "Stabilisation points and field hospitals within 30 km of the front lose grid power "
            "during strikes. We need 60-100 kVA diesel generators with automatic transfer "
            "switches, low noise and reliable starting at -25 °C, each with a 12-month parts kit. "
            "Containerised or trailer-mounted units preferred."
        ),
        title_uk="Резервні генератори для прифронтових польових госпіталів",
        description_uk=(
            "Стабілізаційні пункти та польові госпіталі в межах 30 км від лінії фронту втрачають "
            "живлення під час обстрілів. Потрібні дизельні генератори 60–100 кВА з автоматичним "
            "введенням резерву, низьким рівнем шуму, надійним запуском при −25 °C і комплектом "
            "запчастин на 12 місяців. Перевага — контейнерне або причіпне виконання."
        ),
        quantity=60,
        unit="generators",
        needed_in_days=45,
        min_trl=8,
        submitted_days_ago=30,
        organisation="medical-command",
        source_organisation="Medical Forces Command: stabilisation points, Donetsk direction",
        budget="45000",
        certifications=("ISO9001",),
    ),
    DemoRequirement(
        reference="UA-2026-0103",
        status="SHORTLISTED",
        category="UGV.CASEVAC",
        priority="HIGH",
        title="Ground robots for casualty evacuation",
        description=(
            "Evacuating wounded from the zero line by vehicle is close to impossible because of "
            "FPV drones. We need remotely operated tracked platforms carrying one casualty on a "
            "stretcher, covered against the weather, with 5 km range in mud, a quiet electric "
            "drive, low thermal signature and a control link that survives jamming (mesh or "
            "fibre)."
        ),
        title_uk="Наземні роботизовані комплекси для евакуації поранених",
        description_uk=(
            "Евакуація поранених з нуля транспортом майже неможлива через FPV-дрони. Потрібні "
            "дистанційно керовані гусеничні платформи для перевезення одного пораненого на ношах "
            "із захистом від негоди, запасом ходу 5 км у бездоріжжі, тихим електроприводом, "
            "низькою тепловою помітністю та каналом керування, стійким до РЕБ (mesh або "
            "оптоволокно)."
        ),
        quantity=24,
        unit="vehicles",
        needed_in_days=120,
        min_trl=6,
        submitted_days_ago=45,
        organisation="kharkiv-liaison",
        source_organisation="Mechanised brigades, Kharkiv direction",
        budget="80000",
    ),
    DemoRequirement(
        reference="UA-2026-0104",
        status="OPEN",
        category="DEMINE.DETECT",
        priority="HIGH",
        title="Mine detectors for engineer battalions",
        description=(
            "Handheld dual-sensor mine detectors (metal detector plus ground-penetrating radar) "
            "able to find low-metal anti-personnel mines such as the PMN-2 in wet, mineralised "
            "soil. Instructor training and a spare-parts pack are part of the need."
        ),
        title_uk="Міношукачі для інженерних батальйонів",
        description_uk=(
            "Ручні двосенсорні міношукачі (металодетектор і георадар), здатні виявляти "
            "протипіхотні міни з малим вмістом металу, як-от ПМН-2, у вологому мінералізованому "
            "ґрунті. Навчання інструкторів і комплект запчастин — частина потреби."
        ),
        quantity=300,
        unit="detectors",
        needed_in_days=90,
        min_trl=8,
        submitted_days_ago=26,
        organisation="mod-procurement",
        source_organisation="Engineer battalions, Zaporizhzhia and Kherson directions",
        budget="12000",
        certifications=("AQAP2110",),
    ),
    DemoRequirement(
        reference="UA-2026-0105",
        status="OPEN",
        category="UGV.LOGISTICS",
        priority="CRITICAL",
        title="Autonomous resupply ground robots for contested areas",
        description=(
            "Positions in the grey zone are resupplied on foot at night. We need logistics UGVs "
            "carrying at least 300 kg of ammunition, water and batteries over 10 km of broken "
            "ground, with waypoint autonomy that keeps working when GNSS and radio links are "
            "jammed. Integration with existing mesh radios is an advantage."
        ),
        title_uk="Автономні логістичні НРК для постачання в сірій зоні",
        description_uk=(
            "Позиції в сірій зоні забезпечують пішки вночі. Потрібні логістичні НРК "
            "вантажопідйомністю не менше 300 кг (боєприпаси, вода, акумулятори) із запасом ходу "
            "10 км пересіченою місцевістю та автономним рухом за точками маршруту, що працює в "
            "умовах глушіння GNSS і радіоканалів. Перевага — інтеграція з наявними "
            "mesh-радіостанціями."
        ),
        quantity=40,
        unit="vehicles",
        needed_in_days=100,
        min_trl=6,
        submitted_days_ago=18,
        organisation="kharkiv-liaison",
        source_organisation="Assault brigade logistics battalion",
        budget="150000",
        certifications=("ISO9001",),
        itar_free_required=True,
        classification="OFFICIAL_SENSITIVE",
    ),
    DemoRequirement(
        reference="UA-2026-0106",
        status="OPEN",
        category="ISR.THERMAL",
        priority="HIGH",
        title="Clip-on thermal sights for sniper and anti-tank teams",
        description=(
            "Clip-on thermal sights of at least 640 x 512 resolution, fitted in front of existing "
            "day optics, holding zero under recoil and running six hours on batteries at -20 °C. "
            "No ITAR-controlled parts, so that sights can move between brigades without delay."
        ),
        title_uk="Тепловізійні насадки для снайперів і розрахунків ПТРК",
        description_uk=(
            "Тепловізійні насадки з роздільною здатністю не менше 640×512 для встановлення перед "
            "наявною денною оптикою; збереження пристрілки під віддачею, 6 годин роботи від "
            "батарей при −20 °C, без компонентів під контролем ITAR, щоб прилади можна було "
            "передавати між бригадами без затримок."
        ),
        quantity=400,
        unit="sights",
        needed_in_days=60,
        min_trl=8,
        submitted_days_ago=15,
        organisation="kharkiv-liaison",
        source_organisation="Sniper and ATGM teams, Kharkiv direction",
        budget="7000",
        itar_free_required=True,
    ),
    DemoRequirement(
        reference="UA-2026-0107",
        status="OPEN",
        category="ENERGY.HEATING",
        priority="HIGH",
        title="Winter heating for dugouts and shelters",
        description=(
            "Small stoves or heaters for dugouts holding four to eight people: safe indoors with a "
            "carbon monoxide alarm, burning wood, diesel or pellets, with a flue that does not "
            "give the position away to thermal cameras on drones. One person must be able to carry "
            "it."
        ),
        title_uk="Зимовий обігрів бліндажів та укриттів",
        description_uk=(
            "Невеликі печі або обігрівачі для бліндажів на 4–8 осіб: безпечні в приміщенні (з "
            "датчиком чадного газу), на дровах, дизелі чи пелетах, з димоходом, що не демаскує "
            "позицію для тепловізорів дронів. Вага — під силу одній людині."
        ),
        quantity=5000,
        unit="heaters",
        needed_in_days=40,
        min_trl=7,
        submitted_days_ago=12,
        organisation="kharkiv-liaison",
        source_organisation="Infantry battalions, Kupiansk direction",
        budget="400",
    ),
    DemoRequirement(
        reference="UA-2026-0108",
        status="OPEN",
        category="ENG.WATER",
        priority="ROUTINE",
        title="Water purification units for brigade field camps",
        description=(
            "Trailer-mounted purification units producing at least 1,500 litres an hour of "
            "drinking water from rivers and damaged municipal supplies, with spares and operator "
            "training."
        ),
        title_uk="Установки очищення води для польових таборів бригад",
        description_uk=(
            "Причіпні установки очищення води продуктивністю не менше 1500 л/год питної води з "
            "річок і пошкоджених міських мереж, із запчастинами та навчанням операторів."
        ),
        quantity=20,
        unit="units",
        needed_in_days=150,
        min_trl=8,
        submitted_days_ago=35,
        organisation="mod-procurement",
        source_organisation="Brigade rear services",
        budget="55000",
    ),
    DemoRequirement(
        reference="UA-2026-0109",
        status="OPEN",
        category="MED.FIRST_AID",
        priority="CRITICAL",
        title="Individual first aid kits with tourniquets",
        description=(
            "NATO-pattern individual first aid kits, each with two windlass tourniquets of a "
            "CoTCCC-recommended design (counterfeit tourniquets have failed in the field), "
            "haemostatic gauze, a chest seal and a pressure bandage. Batch test certificates are "
            "required."
        ),
        title_uk="Індивідуальні аптечки з турнікетами",
        description_uk=(
            "Індивідуальні аптечки стандарту НАТО, кожна з двома турнікетами-закрутками моделі, "
            "рекомендованої CoTCCC (підробки вже підводили на фронті), гемостатичним бинтом, "
            "оклюзійною пов'язкою та компресійним бинтом. Потрібні сертифікати випробувань партії."
        ),
        quantity=20000,
        unit="kits",
        needed_in_days=30,
        min_trl=9,
        submitted_days_ago=9,
        organisation="medical-command",
        source_organisation="Medical Forces Command",
        budget="80",
        certifications=("ISO9001",),
    ),
    DemoRequirement(
        reference="UA-2026-0110",
        status="TRIAGED",
        category="EW.GNSS_RESILIENCE",
        priority="HIGH",
        title="GNSS anti-jam navigation for long-range drones",
        description=(
            "Navigation modules that keep long-range drones on course when GNSS is jammed or "
            "spoofed: controlled reception pattern antennas, visual or terrain-referenced "
            "navigation, or inertial units drifting less than 1% of distance flown. Size and "
            "weight to suit a 20-50 kg airframe."
        ),
        title_uk="Навігація, стійка до глушіння GNSS, для дронів великої дальності",
        description_uk=(
            "Навігаційні модулі, що утримують дрони великої дальності на курсі при глушінні або "
            "спуфінгу GNSS: антени з керованою діаграмою спрямованості (CRPA), візуальна навігація "
            "чи навігація за рельєфом, або інерціальні блоки з дрейфом менше 1% пройденої "
            "відстані. Масогабарити — для планера 20–50 кг."
        ),
        quantity=500,
        unit="modules",
        needed_in_days=110,
        min_trl=6,
        submitted_days_ago=6,
        organisation="mod-procurement",
        source_organisation="Unmanned Systems Forces",
        budget="3500",
    ),
    DemoRequirement(
        reference="UA-2026-0111",
        status="SUBMITTED",
        category="CUAS.DETECT",
        priority="CRITICAL",
        title="",
        description="",
        title_uk="Мобільні радари виявлення малих БпЛА для захисту енергооб'єктів",
        description_uk=(
            "Потрібні мобільні радари, що виявляють малі БпЛА (FPV, «Ланцет», розвідувальні "
            "квадрокоптери) на відстані не менше 5 км і передають цілі в систему управління ППО. "
            "Живлення від бортової мережі автомобіля або генератора, розгортання за 15 хвилин."
        ),
        quantity=30,
        unit="radars",
        needed_in_days=100,
        min_trl=7,
        submitted_days_ago=2,
        organisation="mod-procurement",
        source_organisation="Air Command Centre, energy site protection",
    ),
    DemoRequirement(
        reference="UA-2026-0112",
        status="SUBMITTED",
        category="PROT.BODY_ARMOUR",
        priority="ROUTINE",
        title="Armour plates for territorial defence units",
        description=(
            "Stand-alone ceramic plates stopping 7.62 mm armour-piercing rounds (NIJ level IV or "
            "equivalent), under 3 kg, sizes M and L, with side plates. About half the quantity "
            "also needs plate carriers."
        ),
        title_uk="Бронеплити для підрозділів тероборони",
        description_uk=(
            "Самостійні керамічні бронеплити, що захищають від бронебійних куль 7,62 мм (NIJ IV "
            "або еквівалент), вагою до 3 кг, розмірів M і L, з боковими пластинами. Приблизно для "
            "половини кількості потрібні також плитоноски."
        ),
        quantity=3000,
        unit="plates",
        needed_in_days=120,
        min_trl=9,
        submitted_days_ago=1,
        organisation="kharkiv-liaison",
        source_organisation="Territorial defence battalions, Kharkiv region",
        budget="300",
    ),
    DemoRequirement(
        reference="UA-2026-0113",
        status="FULFILLED",
        category="ENERGY.STORAGE",
        priority="HIGH",
        title="Battery storage for brigade command posts",
        description=(
            "Silent power for command posts during blackouts: battery storage of at least 10 kWh "
            "with solar input and automatic generator start, so generators run only a few hours a "
            "day and do not give the post away by noise and heat."
        ),
        title_uk="Системи накопичення енергії для командних пунктів бригад",
        description_uk=(
            "Безшумне живлення командних пунктів під час відключень: накопичувачі енергії від "
            "10 кВт·год із сонячним входом і автоматичним запуском генератора, щоб генератори "
            "працювали лише кілька годин на добу й не демаскували пункт шумом і теплом."
        ),
        quantity=150,
        unit="kits",
        needed_in_days=14,
        min_trl=8,
        submitted_days_ago=90,
        organisation="kharkiv-liaison",
        source_organisation="Brigade signal companies",
        budget="20000",
        final_note="150 kits delivered to Kharkiv via the Rzeszów hub; field feedback requested.",
    ),
    DemoRequirement(
        reference="UA-2026-0114",
        status="CLOSED",
        category="ENERGY.GENERATION",
        priority="ROUTINE",
        title="Generators for a field hospital near Kramatorsk",
        description=(
            "Two 100 kVA and two 30 kVA generators for a field hospital whose grid connection is "
            "regularly cut by strikes."
        ),
        title_uk="Генератори для польового госпіталю поблизу Краматорська",
        description_uk=(
            "Два генератори по 100 кВА та два по 30 кВА для польового госпіталю, чиє підключення "
            "до мережі регулярно пошкоджують обстріли."
        ),
        quantity=4,
        unit="generators",
        needed_in_days=60,
        min_trl=8,
        submitted_days_ago=28,
        organisation="medical-command",
        source_organisation="Field hospital, Kramatorsk",
        budget="40000",
        final_note="Merged into UA-2026-0102: the Medical Forces Command request covers this "
        "hospital.",
        duplicate_of="UA-2026-0102",
    ),
    DemoRequirement(
        reference="UA-2026-0115",
        status="REJECTED",
        category="MUN.ARTILLERY",
        priority="ROUTINE",
        title="155 mm artillery ammunition",
        description=(
            "High-explosive 155 mm rounds compatible with NATO-standard howitzers, with charges "
            "and fuzes."
        ),
        title_uk="Артилерійські боєприпаси калібру 155 мм",
        description_uk=(
            "Осколково-фугасні снаряди 155 мм, сумісні з гаубицями стандарту НАТО, із зарядами та "
            "підривниками."
        ),
        quantity=20000,
        unit="rounds",
        needed_in_days=90,
        min_trl=9,
        submitted_days_ago=40,
        organisation="mod-procurement",
        source_organisation="Artillery brigades",
        final_note="Out of scope for the hub: 155 mm ammunition is procured government to "
        "government. Referred to the MoD international cooperation channel.",
    ),
)

# The steps each demo status is reached by; a final CLOSED or REJECTED note comes from the
# requirement itself.
PATHS: dict[str, tuple[str, ...]] = {
    "SUBMITTED": (),
    "TRIAGED": ("TRIAGED",),
    "OPEN": ("TRIAGED", "OPEN"),
    "SHORTLISTED": ("TRIAGED", "OPEN", "SHORTLISTED"),
    "FULFILLED": ("TRIAGED", "OPEN", "SHORTLISTED", "FULFILLED"),
    "CLOSED": ("CLOSED",),
    "REJECTED": ("TRIAGED", "REJECTED"),
}

STEP_NOTES: dict[str, str] = {
    "TRIAGED": "Category and priority confirmed with the requesting unit.",
    "OPEN": "English text checked; released to UK suppliers.",
    "SHORTLISTED": "Shortlist published to the requester.",
    "FULFILLED": "Delivered; field feedback requested.",
}


FIELD_REPORTS: tuple[DemoFieldReport, ...] = (
    DemoFieldReport(
        firm="13458802",
        capability="SGI-HAWK-4",
        rating=4,
        conditions=("NIGHT", "EW_HEAVY"),
        summary=(
            "Trial batch of 40 flown by a mobile fire group over three weeks of night raids: 11 "
            "confirmed kills of Shahed-type drones from 26 launches. The video link held at 3 km "
            "under heavy jamming; the thermal lock was lost twice in rain. Crews ask for faster "
            "battery swaps between launches."
        ),
        days_ago=18,
        author=REQUESTER_MOD,
        author_unit="Mobile fire group, Kyiv region",
    ),
    DemoFieldReport(
        firm="12650918",
        capability="VS-HYB-15",
        rating=5,
        conditions=("WINTER",),
        summary=(
            "Powered a brigade command post through 12 days of grid outages. Ran silent on battery "
            "overnight; the generator started on the first attempt at -18 °C. No faults reported."
        ),
        days_ago=2,
        author=REQUESTER_KHARKIV,
        author_unit="Brigade signal company, Kharkiv direction",
        requirement="UA-2026-0113",
    ),
    DemoFieldReport(
        firm="10284471",
        capability="FA-EAR-10",
        rating=4,
        conditions=("URBAN", "NIGHT"),
        summary=(
            "Twelve nodes on rooftops picked up Shahed-type engines at 4-6 km on quiet nights and "
            "at about 2 km against city traffic noise. Bearings reached the mobile groups' "
            "tablets within seconds. Two nodes lost power after a week of overcast weather."
        ),
        days_ago=25,
        author=REQUESTER_MOD,
        author_unit="Air defence sector, Kyiv region",
    ),
    DemoFieldReport(
        firm="10956730",
        capability="TR-MULE-300",
        rating=3,
        conditions=("MUD", "WINTER"),
        summary=(
            "Carried ammunition and water 4 km to forward positions on most nights. Tracks came "
            "off twice in deep mud and battery range fell by about a third at -10 °C. A wider "
            "track option and a battery heater would make it fit for winter."
        ),
        days_ago=11,
        author=REQUESTER_KHARKIV,
        author_unit="Mechanised brigade logistics, Kharkiv direction",
    ),
    DemoFieldReport(
        firm="09651203",
        capability="MW-NODE-5",
        rating=2,
        conditions=("EW_HEAVY",),
        summary=(
            "Links fell back to voice only under heavy jamming near the front; the "
            "frequency-hopping mode helped, but latency made drone video unusable. Requested a "
            "firmware update and narrower channel options."
        ),
        days_ago=9,
        author=REQUESTER_KHARKIV,
        author_unit="Assault battalion signals, Kharkiv direction",
    ),
)
