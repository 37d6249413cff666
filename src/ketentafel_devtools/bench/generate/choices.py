# SPDX-License-Identifier: EUPL-1.2
"""What the generator draws from: the dataset's span, the shares of phases, subjects and
sharing choices, the texts of problems, goals, items and actions, and synthetic BSNs.
"""

from __future__ import annotations

import random

from ketentafel.cases.models import Phase, SubjectKind
from ketentafel.covenants.models import PartyKind
from ketentafel.information.models import DataCategory, LifeDomain, Sharing

HORIZON_DAYS = 5 * 365
DOSSIER_ITEMS = 100

#: The course a case has run so far, in shares of all cases (closed cases pile up over years).
PHASE_WEIGHTS = {
    Phase.REFERRED: 0.03,
    Phase.ENRICHMENT: 0.06,
    Phase.TRIAGE: 0.03,
    Phase.DECLINED: 0.05,
    Phase.ACCEPTED: 0.03,
    Phase.ACTIVE: 0.30,
    Phase.CLOSED: 0.50,
}
#: How suppliers choose to share (Sharing), in shares of items.
SHARING_WEIGHTS = {
    Sharing.COORDINATION: 0.15,
    Sharing.PRE_MEETING: 0.35,
    Sharing.AFTER_MEETING: 0.35,
    Sharing.NAMED: 0.15,
}
SUBJECT_WEIGHTS = {SubjectKind.PERSON: 0.75, SubjectKind.FAMILY: 0.20, SubjectKind.AREA: 0.05}
RECURRING_PERSON = 0.08  # share of persons already known from another case

CATEGORY_OF_KIND = {
    PartyKind.POLITIE: DataCategory.POLICE,
    PartyKind.OM: DataCategory.JUSTICE,
    PartyKind.DJI: DataCategory.JUSTICE,
    PartyKind.RECLASSERING: DataCategory.JUSTICE,
    PartyKind.HALT: DataCategory.JUSTICE,
    PartyKind.ZORG: DataCategory.SPECIAL,
    PartyKind.VERSLAVINGSZORG: DataCategory.SPECIAL,
    PartyKind.VEILIG_THUIS: DataCategory.SPECIAL,
}

PROBLEMS = [
    "Oplopende schulden, dreigende huisuitzetting en zorgmijding",
    "Herhaald huiselijk geweld binnen het gezin, kinderen in beeld bij school",
    "Overlast in de wijk samenhangend met middelengebruik",
    "Terugkeer na detentie zonder woonplek, inkomen of zorg",
    "Verward gedrag en dreigende uitspraken richting buren",
    "Jongere met schoolverzuim en contacten in een crimineel netwerk",
    "Ondermijnende activiteiten rond een bedrijfspand in het buitengebied",
    "Radicaliserende uitingen en sociaal isolement",
]
GOALS = [
    "Stabiele woonsituatie en een sluitend zorgaanbod",
    "Veiligheid van de kinderen geborgd, geweld gestopt",
    "Overlast beëindigd en behandeling gestart",
    "Recidive voorkomen met huisvesting, inkomen en begeleiding",
    "Zicht op de situatie en één aanspreekpunt voor alle partijen",
]
ITEM_TEXTS = {
    LifeDomain.CRIMINAL_HISTORY: "Registraties afgelopen drie jaar: {n} incidenten, laatste {m} "
    "maanden geleden.",
    LifeDomain.HOUSING: "Huurachterstand van {n} maanden; de verhuurder is een "
    "ontruimingsprocedure gestart.",
    LifeDomain.EDUCATION_WORK: "Sinds {n} maanden geen werk; re-integratie na {m} weken gestopt.",
    LifeDomain.FINANCES: "Schulden bij {n} schuldeisers; bewind aangevraagd {m} weken geleden.",
    LifeDomain.FAMILY: "Gezin met {n} kinderen; contact met de ex-partner via een advocaat.",
    LifeDomain.BEHAVIOUR: "Agressief gedrag naar hulpverleners bij {n} van de {m} contacten.",
    LifeDomain.NETWORK: "Beperkt netwerk; {n} familieleden in beeld, contact met {m} van hen.",
    LifeDomain.MENTAL_HEALTH: "In behandeling geweest bij de GGZ; laatste contact {n} maanden "
    "geleden.",
    LifeDomain.SUBSTANCE_USE: "Dagelijks gebruik volgens eigen zeggen; {n} meldingen van overlast.",
}
LEGAL_BASES = [
    "Convenant art. 16.1; AVG art. 6 lid 1 sub e",
    "Convenant art. 17; Wpg art. 19",
    "Convenant art. 16; Wjsg art. 8a",
    "Convenant art. 16; AVG art. 9 lid 2 sub g",
]
INVITED_ROLES = [
    ("Casusregie zorg", "Zicht op behandeling en zorgcontinuïteit"),
    ("Toezicht", "Voorwaarden en naleving"),
    ("Woonbegeleiding", "Huisvestingssituatie en afspraken met de verhuurder"),
    ("Strafrechtelijke interventie", "Lopende zaken en te verwachten beslissingen"),
    ("Veiligheid kinderen", "Signalen over de veiligheid van de kinderen"),
    ("Schuldhulp", "Financiële situatie en lopende regelingen"),
]
ACTIONS = [
    "Huisbezoek afleggen en afspraken vastleggen",
    "Aanmelding bij de GGZ regelen",
    "Budgetbeheer starten",
    "Contact met de verhuurder over een betalingsregeling",
    "Toezichtafspraken afstemmen met de reclassering",
    "Veiligheidsplan met het gezin opstellen",
]


def valid_bsn(rng: random.Random) -> str:
    """A random nine-digit number that passes the elfproef (synthetic, like Faker's names)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, [*digits, last]))
