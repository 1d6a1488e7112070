"""Signals other apps listen to, so that referrals never has to import them.

`case_event_recorded(sender=CaseEvent, event=<CaseEvent>)` is sent by `services.record_event` right after
the timeline row is written, inside the service's transaction. A receiver that raises rolls the whole
step back; receivers must not do anything outside the database (use `transaction.on_commit` for that).
"""

from django.dispatch import Signal

case_event_recorded = Signal()
