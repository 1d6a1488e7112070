"""Use cases of the iJw message traffic. The only place that stores messages or changes their state.

Both sides of the traffic live in this system: Crossroads and its partners (the aanbieder, by AGB) and
the gemeenten, all through Tilburg's backoffice (by CBS code). A message sent by one side is delivered
to the other at once: the receiver's checks run (XSD, in-message rules, cross-message rules), its retour
is built and stored, and the sent message becomes geaccepteerd or afgewezen. Each party's fact is its
own timeline event (sent, received, retour sent), so the deadline engine can pair them by "ref": the
public id of the message they are about.

Every service runs in one transaction and checks the actor's permission; input errors raise
ValidationError (Dutch, per field); a refusal to build raises MessageRefused (Dutch reasons).

One module per part of the process; import the names from here (`from messaging import services`):
- base: refusals, permission checks, storing a message and moving it through its states;
- receiving: the receiver's checks, its retour and the effects of an accepted message;
- requesting: the JW315 previewed, stored and sent (send_message), a refused one corrected and sent again;
- answering: the gemeente's JW301 (accept_jw315) or JW319 (refuse_jw315);
- wijziging: the verzoek om wijziging (create_jw317) and the gemeente's answer (accept_jw317, refuse_jw317);
- bepaling: the gemeente's JW301 on a GI's bepaling, without a JW315 (assign_on_gi_bepaling);
- start_stop: the start (JW305) and the end (JW307) of care under a toewijzing;
- manual: the toewijzing agreed by hand when there is no usable BSN;
- lopend: a running toewijzing in segment 2 to 4, recorded on the case and ended by the backoffice;
- importing: a message taken in from the national message traffic.
"""

from .answering import AcceptInput, RefuseInput, accept_jw315, refuse_jw315
from .base import MAX_IMPORT_BYTES, PROVIDER_IS_AFZENDER, ImportRefused, StaleMessage
from .bepaling import assign_on_gi_bepaling
from .importing import ImportResult, import_message
from .lopend import (
    BeeindigingInput,
    LopendeToewijzingInput,
    LopendeToewijzingRefused,
    end_lopende_toewijzing,
    record_lopende_toewijzing,
)
from .manual import ManualInput, record_manual_toewijzing
from .receiving import RECEIVED_EVENT
from .requesting import (
    SENT_EVENT,
    Correction,
    CorrectionRefused,
    Preview,
    RequestInput,
    check_request_input,
    correct_jw315,
    correction_refusal,
    create_jw315,
    preview_jw315,
    send_message,
    start_correction,
)
from .start_stop import START_STOP, send_jw305, send_jw307, send_start_stop
from .wijziging import (
    AcceptWijzigingInput,
    Wijziging,
    WijzigingInput,
    accept_jw317,
    create_jw317,
    refuse_jw317,
    wijzigbare_toewijzingen,
    wijziging_refusal,
)

__all__ = [
    "MAX_IMPORT_BYTES",
    "PROVIDER_IS_AFZENDER",
    "RECEIVED_EVENT",
    "SENT_EVENT",
    "START_STOP",
    "AcceptInput",
    "AcceptWijzigingInput",
    "BeeindigingInput",
    "Correction",
    "CorrectionRefused",
    "ImportRefused",
    "ImportResult",
    "LopendeToewijzingInput",
    "LopendeToewijzingRefused",
    "ManualInput",
    "Preview",
    "RefuseInput",
    "RequestInput",
    "StaleMessage",
    "Wijziging",
    "WijzigingInput",
    "accept_jw315",
    "accept_jw317",
    "assign_on_gi_bepaling",
    "check_request_input",
    "correct_jw315",
    "correction_refusal",
    "create_jw315",
    "create_jw317",
    "end_lopende_toewijzing",
    "import_message",
    "preview_jw315",
    "record_lopende_toewijzing",
    "record_manual_toewijzing",
    "refuse_jw315",
    "refuse_jw317",
    "send_jw305",
    "send_jw307",
    "send_message",
    "send_start_stop",
    "start_correction",
    "wijzigbare_toewijzingen",
    "wijziging_refusal",
]
