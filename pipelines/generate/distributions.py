"""The distributions the sample generator draws from, each with its source.

Sources (see /work/shared/spec/facts.md and docs/sample-data.md):
- ČSÚ, "Cizinci v Ústeckém kraji" (czso.cz/csu/xu/cizinci-xu): foreigners with residence
  in the region; 2022 largest groups Ukraine, Vietnam, Slovakia; the district with the most
  foreigners had 8,892 in 2019; men 63-64 % of foreigners before 2022.
- Ministry of the Interior, temporary-protection statistics (1 Apr 2023): holders 68 %
  working age (65 % of them women), 28 % children, 4 % seniors; 17,021 holders in the
  region (April 2023).
- Integration Centre Prague annual report 2022 (icpraha.com): clients per service (legal
  2,012, social 1,434, information centre 2,460, intercultural work 2,203, Czech courses
  1,475, socio-cultural orientation 393, of 10,276 clients); 44 % of clients Ukrainian.
- Refugee Facilities Administration (suz.cz), 2024: about 13,000 services for 4,400
  clients per region-year, i.e. about 3 services per client; with group activities and
  repeat visits the centres report 4-5 contacts per client-year.
Where a source gives only the largest groups, the smaller shares are estimates in the
same order of magnitude; they are marked "estimate" below.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.reference.centres import centre
from pipelines.reference.seeds import read_seed


@dataclass(frozen=True)
class Weights:
    """Codes with relative weights; `draw` samples codes by index."""

    codes: tuple[str, ...]
    weights: tuple[float, ...]

    @classmethod
    def of(cls, table: dict[str, float]) -> Weights:
        return cls(tuple(table), tuple(table.values()))

    @property
    def probabilities(self) -> np.ndarray:
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Indexes into `codes`."""
        return rng.choice(len(self.codes), size=size, p=self.probabilities).astype(np.int16)


# Client nationality after February 2022 (ISO alpha-2; "stateless"). Ukraine ~45 % as at
# ICP Prague (44 %); Vietnam, Mongolia, Russia, Moldova follow (ČSÚ largest groups);
# EU citizens (Slovakia, Bulgaria, Romania, Poland, Germany) and majority-society clients
# (CZ) are a minority of a centre's clients. Smaller shares: estimate.
NATIONALITY = Weights.of({
    "UA": 45.0, "VN": 11.0, "MN": 5.0, "RU": 4.0, "MD": 3.0, "SK": 3.0, "BG": 1.5,
    "RO": 1.5, "PL": 1.0, "DE": 1.0, "KZ": 1.5, "BY": 1.5, "UZ": 1.0, "GE": 1.0,
    "AM": 1.0, "CN": 1.0, "PH": 1.0, "IN": 1.0, "TR": 0.8, "RS": 0.8, "SY": 0.8,
    "AF": 0.8, "KG": 0.7, "TH": 0.6, "BA": 0.5, "XK": 0.5, "US": 0.5, "stateless": 0.3,
    "CZ": 3.0,
})
# Before the war in Ukraine (ČSÚ 2019-20: Vietnam, Germany, Ukraine largest). Used for
# clients registered before March 2022.
NATIONALITY_BEFORE_2022_03 = Weights.of({
    **dict(zip(NATIONALITY.codes, NATIONALITY.weights, strict=True)),
    "UA": 12.0, "VN": 20.0, "MN": 8.0, "DE": 3.0,
})
EU_CITIZENS = frozenset({"SK", "BG", "RO", "PL", "DE"})
MAJORITY = "CZ"

# The regional sample is the Ústecký kraj centre's (issue 11: the default sample is ULK, as before).
# Its districts come from the reference, in code order; the weights below follow that order.
SAMPLE_CENTRE = "ULK"
_SAMPLE_DISTRICTS = tuple(d.code for d in centre(SAMPLE_CENTRE).districts())
# District seat of each district (seeds/ref_districts.csv): the municipality written beside it.
_SEATS = {row["code"]: row["seat"] for row in read_seed("ref_districts.csv")}


def _largest_first(codes: tuple[str, ...], weights: tuple[int, ...]) -> dict[str, int]:
    """`codes` with their `weights` (same order), the largest first (ties in code order), zeros left out."""
    assert len(codes) == len(weights), f"{len(weights)} weights for the {len(codes)} districts {codes}"
    pairs = sorted(zip(codes, weights, strict=True), key=lambda pair: -pair[1])  # stable
    return {code: weight for code, weight in pairs if weight}


# Clients' districts of residence: the region's districts weighted by foreign residents (ČSÚ
# 2019; the largest district's 8,892 is sourced, the others are estimates in the same order of
# magnitude), plus a few clients living outside the region and a few who did not state a district.
_OUTSIDE = {"CZ0100": 500, "CZ0513": 300, "CZ0412": 200}  # Praha, Liberec, Karlovy Vary
DISTRICT = Weights.of({
    **_largest_first(_SAMPLE_DISTRICTS, (5900, 5000, 4500, 3500, 4000, 8892, 7000)),
    **_OUTSIDE,
    "": 700,  # not stated
})
DISTRICT_SEAT = {code: _SEATS[code] for code in (*_SAMPLE_DISTRICTS, *_OUTSIDE)}
# Offices of the centre (district seats, so the branch names a district): the region's seat the
# largest, then four other district towns.
_BRANCH_DISTRICTS = _largest_first(_SAMPLE_DISTRICTS, (15, 10, 0, 0, 10, 25, 40))
BRANCH = Weights.of({DISTRICT_SEAT[code]: weight for code, weight in _BRANCH_DISTRICTS.items()})
MAIN_OFFICE_DISTRICT = next(iter(_BRANCH_DISTRICTS))  # the district of the largest office

# Sex: temporary-protection holders 65 % women among adults (MV ČR 2023); other
# foreigners 63 % men (ČSÚ); 1 % not stated.
SEX_UKRAINIAN = Weights.of({"female": 64, "male": 35, "": 1})
SEX_OTHER = Weights.of({"male": 56, "female": 43, "": 1})

# Age on registration: Ukrainians 28 % children, 68 % working age, 4 % seniors (MV ČR
# 2023); other clients mostly working age (estimate).
AGE_BANDS = ((0, 17), (18, 29), (30, 44), (45, 64), (65, 85))
AGE_UKRAINIAN = (28.0, 20.0, 28.0, 20.0, 4.0)
AGE_OTHER = (10.0, 30.0, 35.0, 21.0, 4.0)

# Residence status by nationality group (estimate; Ukrainians mostly temporary protection,
# EU citizens temporary or permanent residence; asylum and subsidiary protection rare).
STATUS_UKRAINIAN = Weights.of({
    "temporary_protection": 78, "permanent": 8, "long_term": 9, "long_term_visa": 4, "": 1,
})
STATUS_UKRAINIAN_BEFORE_2022_03 = Weights.of({
    "permanent": 35, "long_term": 40, "long_term_visa": 20, "other": 3, "": 2,
})
STATUS_EU = Weights.of({"eu_temporary": 60, "permanent": 38, "": 2})
STATUS_THIRD_COUNTRY = Weights.of({
    "permanent": 34, "long_term": 30, "long_term_visa": 20, "asylum": 3,
    "subsidiary_protection": 2, "asylum_seeker": 4, "other": 3, "": 4,
})
STATUS_PROTECTION_ORIGIN = Weights.of({  # Syria, Afghanistan, stateless
    "asylum": 30, "subsidiary_protection": 30, "asylum_seeker": 20, "long_term": 10,
    "permanent": 8, "": 2,
})
PROTECTION_ORIGINS = frozenset({"SY", "AF", "stateless"})
# Share of clients whose target group the case worker filled in (the rest is derived).
TARGET_GROUP_FILLED = 0.7
# Share of clients registered before the sample period (carried over from earlier projects).
CARRIED_OVER = 0.15

# Contacts: 1 + Poisson(4.5) per client, a mean gap of 30 days between visits; truncated
# at the period end this gives about 4-5 contacts per client-year (SUZ).
CONTACTS_EXTRA_MEAN = 4.5
CONTACT_GAP_DAYS = 30.0
# Service mix of contacts from ICP Prague 2022 clients per service (intercultural work
# split between interpreting and field work; integration activities: estimate).
SERVICE = Weights.of({
    "information_centre": 2460, "legal_counselling": 2012, "social_counselling": 1434,
    "interpreting": 1100, "field_work": 1100, "integration_activity": 400,
})
TOPIC = Weights.of({
    "residence": 30, "employment": 15, "social_benefits": 12, "housing": 10, "health": 10,
    "education": 8, "authorities": 7, "family": 5, "other": 3,
})
TOPIC_EMPTY = 0.04
MODE = Weights.of({"in_person": 65, "phone": 20, "online": 10, "field": 5})
DURATION_MEDIAN_MIN = 30.0
INTERPRETED_SHARE = {"UA": 0.3, "VN": 0.45, "MN": 0.45, "EU": 0.02, "CZ": 0.0, "other": 0.25}

# Courses (ICP Prague 2022: 1,475 of 10,276 clients in Czech courses, 393 in socio-cultural
# orientation). Czech courses run a 12-week term; SCO is one 8-hour day ("Vítejte v ČR").
CZECH_COURSE_SHARE = 0.14
SCO_SHARE = 0.04
COURSE_SIZE = (8, 15)
COURSE_TYPE = Weights.of({"czech_a1": 50, "czech_a2": 35, "czech_b1": 15})
COURSE_HOURS = {"czech_a1": 60, "czech_a2": 80, "czech_b1": 80, "sociocultural_orientation": 8}
COURSE_TERM_DAYS = 84
COMPLETION_RATE = 0.72
LEVEL_UP_WHEN_COMPLETED = 0.78
EXAM_TAKEN = {"czech_a1": 0.1, "czech_a2": 0.45, "czech_b1": 0.35}  # A2: permanent residence
EXAM_PASSED = 0.8

# Events: about one a month per 250 clients; head count log-normal around 20.
EVENTS_PER_CLIENT_MONTH = 1 / 250
EVENT_TYPE = Weights.of({
    "lecture_foreigners": 25, "integration_activity": 20, "educational": 15,
    "multicultural": 15, "lecture_public": 10, "integration_platform": 8,
    "information_campaign": 7,
})
EVENT_AUDIENCE = {
    "lecture_foreigners": "foreigners", "integration_activity": "foreigners",
    "educational": "foreigners", "multicultural": "mixed", "lecture_public": "public",
    "integration_platform": "public_administration", "information_campaign": "public",
}
FOREIGN_SHARE_BY_AUDIENCE = {
    "foreigners": 0.95, "mixed": 0.5, "public": 0.1, "public_administration": 0.0,
    "professionals": 0.0,
}
EVENT_REGISTERED_SHARE = 0.35  # of foreign participants, registered as clients

# Outcomes follow a contact on a matching topic after 2-16 weeks (estimate).
OUTCOME_BY_TOPIC = {
    "residence": (("residence_permit_extended", 45), ("residence_permit_granted", 30),
                  ("permanent_residence_applied", 20), ("permanent_residence_granted", 5)),
    "employment": (("employment_found", 80), ("qualification_recognition_applied", 20)),
    "housing": (("housing_secured", 100),),
    "health": (("health_insurance_arranged", 100),),
    "education": (("child_enrolled_school", 85), ("qualification_recognition_applied", 15)),
    "social_benefits": (("reported_helpful", 100),),
    "family": (("reported_helpful", 100),),
    "authorities": (("reported_helpful", 100),),
    "other": (("reported_helpful", 100),),
}
OUTCOME_PER_CONTACT = 0.12
OUTCOME_DELAY_DAYS = (14, 112)
VERIFIED_SHARE = 0.6

# Later deliveries: of the records of a month, this share is repeated unchanged, corrected
# or retracted in one of the next three deliveries (estimate).
REPEAT_SHARE = 0.03
CORRECT_SHARE = 0.02
RETRACT_SHARE = 0.005
