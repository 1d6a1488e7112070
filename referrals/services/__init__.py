"""Use cases that change a case. The only place that does.

Each service runs in one transaction, checks the actor's permission, changes state and writes one
timeline event. Input errors raise ValidationError with a Dutch message per field; a refused
transition raises TransitionRefused with the Dutch reasons; a concurrent change raises StaleCase.

One module per part of the process, all on the kernel in `timeline` (the timeline event, the phase
transition, the shared checks). Other code imports the names below from `referrals.services`, never
from a module of the package.

Names of services:
- A phase transition of the state machine is the Dutch name of the act, as the process says it:
  `aanmelden`, `start_hulpverlening`, `terugverwijzen`, `crisis_melden`, `crisis_afsluiten`,
  `afronding_starten`, `hervatten`, `afsluiten`, `voortijdig_beeindigen`.
- Every other service is an English verb with the Dutch domain noun:
  `record_*` records a fact that happened, or a version that stays as it was recorded (gesprek gehouden,
  advies, evaluatie, signaal, beschikking, behandelplan); `save_*` edits one document in place until it is
  finished (IPVA, perspectiefplan); `plan_*` plans a meeting; `assign_*` gives a person a role on the case;
  `start_*` / `run_*` queue and run background work;
  `correct_*` corrects data recorded before (the youth's); `store_*` stores a file as the next version of its
  kind; `pick_up_*` takes up what someone asked; `register_case` registers a new case.
"""

from .aanmeldfase import (
    aanmelden,
    plan_aanmeldgesprek,
    record_aanmeldgesprek_gehouden,
    record_aanmeldtafel_advies,
    record_coordination_requested,
    start_hulpverlening,
    terugverwijzen,
)
from .afronding import (
    afronding_starten,
    afsluiten,
    hervatten,
    record_einddatum,
    record_eindevaluatie,
    record_resultaten_bereikt,
    record_vervolg,
    voortijdig_beeindigen,
)
from .beschikking import PRODUCTCODE, record_beschikking, save_perspectiefplan
from .care import (
    START_JEUGDHULP_WEEKS,
    pick_up_signaal,
    record_behandelplan,
    record_evaluatie,
    record_signaal,
    record_zorg_gestart,
)
from .crisis import crisis_afsluiten, crisis_melden, record_perspectiefplan_crisis
from .documents import JOB_STEPS, MAKE_DOCUMENT_TASK, run_document_job, start_document_job, store_document, store_letter
from .family_letters import record_family_letter_sent
from .gi import record_gi_bepaling
from .jeugdige import JeugdigeCorrectie, correct_jeugdige
from .meldcode import record_meldcode_stap
from .nazorg import record_lichte_hulp_gestopt
from .people import SHARING_FIELDS, assign_coordinator, assign_regievoerder, record_sharing_consent, record_substitution
from .registration import JeugdigeInput, record_phone_consultation, register_case, save_ipva, validate_jeugdige
from .timeline import CARE_PHASES, MAX_DAYS_BACK, StaleCase, TransitionRefused, record_event, too_long_ago
from .waiting import record_overbruggingszorg

__all__ = [
    "CARE_PHASES",
    "JOB_STEPS",
    "MAKE_DOCUMENT_TASK",
    "MAX_DAYS_BACK",
    "PRODUCTCODE",
    "SHARING_FIELDS",
    "START_JEUGDHULP_WEEKS",
    "JeugdigeCorrectie",
    "JeugdigeInput",
    "StaleCase",
    "TransitionRefused",
    "aanmelden",
    "afronding_starten",
    "afsluiten",
    "assign_coordinator",
    "assign_regievoerder",
    "correct_jeugdige",
    "crisis_afsluiten",
    "crisis_melden",
    "hervatten",
    "pick_up_signaal",
    "plan_aanmeldgesprek",
    "record_aanmeldgesprek_gehouden",
    "record_aanmeldtafel_advies",
    "record_behandelplan",
    "record_beschikking",
    "record_coordination_requested",
    "record_einddatum",
    "record_eindevaluatie",
    "record_evaluatie",
    "record_event",
    "record_family_letter_sent",
    "record_gi_bepaling",
    "record_lichte_hulp_gestopt",
    "record_meldcode_stap",
    "record_overbruggingszorg",
    "record_perspectiefplan_crisis",
    "record_phone_consultation",
    "record_resultaten_bereikt",
    "record_sharing_consent",
    "record_signaal",
    "record_substitution",
    "record_vervolg",
    "record_zorg_gestart",
    "register_case",
    "run_document_job",
    "save_ipva",
    "save_perspectiefplan",
    "start_document_job",
    "start_hulpverlening",
    "store_document",
    "store_letter",
    "terugverwijzen",
    "too_long_ago",
    "validate_jeugdige",
    "voortijdig_beeindigen",
]
