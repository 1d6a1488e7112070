"""The demo holds at least one message of every type we support, so exporting it writes a folder for each."""

import pytest
from django.core.management import call_command

from messaging.models import Message, MessageState, MessageType
from referrals.models import Case

pytestmark = pytest.mark.django_db


def test_load_demo_then_export_writes_every_message_type(tmp_path, settings):
    from tests.helpers import FAST_HASHERS

    settings.PASSWORD_HASHERS = FAST_HASHERS
    call_command("load_demo", verbosity=0)
    assert not Message.objects.filter(state__in=(MessageState.CONCEPT, MessageState.AFGEWEZEN)).exists()
    # The browser journey of the JW315 starts from a case in care without any message yet.
    untouched = Case.objects.filter(
        phase="hulpverlenend", jeugdige__bsn_status="normaal", regie_organisatie__isnull=False, messages__isnull=True
    ).exclude(jeugdige__postcode="")
    assert untouched.exists()
    call_command("export_messages", str(tmp_path), verbosity=0)
    folders = {p.name for p in tmp_path.iterdir() if p.is_dir()}
    assert folders == {t.value.upper() for t in MessageType}
    for folder in tmp_path.iterdir():
        assert any(folder.glob("*.xml")), folder.name
