"""The case timeline."""

from django.conf import settings
from django.db import models

from accounts.append_only import AppendOnlyModel

from .case import Case, Phase


class EventKind(models.TextChoices):
    AANGEMAAKT = "aangemaakt", "Casus geregistreerd"
    TELEFONISCH_OVERLEG = "telefonisch_overleg", "Telefonisch overleg vastgelegd"
    IPVA_BIJGEWERKT = "ipva_bijgewerkt", "IPVA bijgewerkt"
    DOCUMENT_TOEGEVOEGD = "document_toegevoegd", "Document toegevoegd"
    AANGEMELD = "aangemeld", "Aangemeld bij Crossroads"
    AANMELDGESPREK_GEPLAND = "aanmeldgesprek_gepland", "Aanmeldgesprek gepland"
    AANMELDGESPREK_GEHOUDEN = "aanmeldgesprek_gehouden", "Aanmeldgesprek gehouden"
    ADVIES_VASTGELEGD = "advies_vastgelegd", "Advies aanmeldtafel vastgelegd"
    COORDINATIE_AANGEVRAAGD = "coordinatie_aangevraagd", "Coördinatie aangevraagd bij de Toegang"
    HULPVERLENING_GESTART = "hulpverlening_gestart", "Hulpverlening gestart"
    TERUGVERWEZEN = "terugverwezen", "Terugverwezen"
    VOORTIJDIG_BEEINDIGD = "voortijdig_beeindigd", "Voortijdig beëindigd"
    ZORG_GESTART = "zorg_gestart", "Start jeugdhulp vastgelegd"
    BESCHIKKING_AFGEGEVEN = "beschikking_afgegeven", "Beschikking afgegeven"
    GI_BEPALING_VASTGELEGD = "gi_bepaling_vastgelegd", "GI-bepaling vastgelegd"
    # Hulpverlenende fase, crisis and afronding.
    REGIEVOERDER_TOEGEWEZEN = "regievoerder_toegewezen", "Regievoerder toegewezen"
    COORDINATOR_TOEGEWEZEN = "coordinator_toegewezen", "Coördinator toegewezen"
    VERVANGING_VASTGELEGD = "vervanging_vastgelegd", "Vervanging vastgelegd"
    BEHANDELPLAN_VASTGELEGD = "behandelplan_vastgelegd", "Behandelplan vastgelegd"
    EVALUATIE_VASTGELEGD = "evaluatie_vastgelegd", "Tussentijdse evaluatie vastgelegd"
    SIGNAAL_COORDINATOR = "signaal_coordinator", "Signaal aan de coördinator"
    SIGNAAL_OPGEPAKT = "signaal_opgepakt", "Signaal opgepakt door de coördinator"
    CRISIS_GEMELD = "crisis_gemeld", "Crisis gemeld"
    PERSPECTIEFPLAN_CRISIS = "perspectiefplan_crisis", "Perspectiefplan Crisis vastgelegd"
    CRISIS_AFGESLOTEN = "crisis_afgesloten", "Crisis afgesloten"
    RESULTATEN_BEREIKT = "resultaten_bereikt", "Resultaten bereikt vastgelegd"
    AFRONDING_GESTART = "afronding_gestart", "Afronding gestart"
    HERVAT = "hervat", "Hulpverlening hervat"
    EINDEVALUATIE_VASTGELEGD = "eindevaluatie_vastgelegd", "Eindevaluatie vastgelegd"
    FOA_VASTGELEGD = "foa_vastgelegd", "FOA of besluit over de FOA vastgelegd"
    EINDDATUM_AFGESPROKEN = "einddatum_afgesproken", "Einddatum afgesproken met de coördinator"
    AFGESLOTEN = "afgesloten", "Casus afgesloten"
    LICHTE_HULP_GESTOPT = "lichte_hulp_gestopt", "Lichte hulp na afsluiting gestopt"
    PERSPECTIEFPLAN_GESTART = "perspectiefplan_gestart", "Perspectiefplan 18-/18+ gestart"
    PERSPECTIEFPLAN_GEREED = "perspectiefplan_gereed", "Perspectiefplan 18-/18+ gereed"
    # Coordination level, consent and escalation (coordination app).
    COORDINATIE_VASTGESTELD = "coordinatie_vastgesteld", "Coördinatieniveau vastgesteld"
    OPGESCHAALD = "opgeschaald", "Opgeschaald naar coördinatie zwaar"
    AFGESCHAALD = "afgeschaald", "Afgeschaald naar coördinatie licht"
    COORDINATIE_AFGESLOTEN = "coordinatie_afgesloten", "Coördinatie afgesloten"
    TOESTEMMING_GEGEVEN = "toestemming_gegeven", "Toestemming vastgelegd"
    TOESTEMMING_INGETROKKEN = "toestemming_ingetrokken", "Toestemming ingetrokken"
    GEDEELD = "gedeeld", "Informatie gedeeld"
    ESCALATIE_GEOPEND = "escalatie_geopend", "Escalatie geopend"
    ESCALATIE_GESPREK = "escalatie_gesprek", "Escalatiegesprek in de hiërarchische lijn gehouden"
    ESCALATIE_COMMITMENT = "escalatie_commitment", "Commitment en nieuwe afspraken vastgelegd"
    # iJw messages (messaging app).
    JW315_VERZONDEN = "jw315_verzonden", "Verzoek om toewijzing (JW315) verzonden"
    JW315_ONTVANGEN = "jw315_ontvangen", "Verzoek om toewijzing (JW315) ontvangen door de gemeente"
    JW315_BEANTWOORD = "jw315_beantwoord", "Verzoek om toewijzing beantwoord (JW301 of JW319)"
    JW315_IN_ONDERZOEK = "jw315_in_onderzoek", "Verzoek om toewijzing in onderzoek (JW319)"
    JW317_VERZONDEN = "jw317_verzonden", "Verzoek om wijziging (JW317) verzonden"
    JW317_ONTVANGEN = "jw317_ontvangen", "Verzoek om wijziging (JW317) ontvangen door de gemeente"
    JW317_BEANTWOORD = "jw317_beantwoord", "Verzoek om wijziging beantwoord (JW301 of JW319)"
    JW317_IN_ONDERZOEK = "jw317_in_onderzoek", "Verzoek om wijziging in onderzoek (JW319)"
    TOEWIJZING_ONTVANGEN = "toewijzing_ontvangen", "Toewijzing (JW301) ontvangen"
    JW319_ONTVANGEN = "jw319_ontvangen", "Antwoord gemeente (JW319) ontvangen"
    BERICHT_ONTVANGEN = "bericht_ontvangen", "iJw-bericht ontvangen"
    RETOUR_VERZONDEN = "retour_verzonden", "Retourbericht verzonden"
    BERICHT_AFGEWEZEN = "bericht_afgewezen", "iJw-bericht afgewezen in de retour"
    JW315_GECORRIGEERD = "jw315_gecorrigeerd", "Afgewezen verzoek (JW315) gecorrigeerd en opnieuw verstuurd"
    JW305_VERZONDEN = "jw305_verzonden", "Start jeugdhulp (JW305) verzonden"
    JW307_VERZONDEN = "jw307_verzonden", "Stop jeugdhulp (JW307) verzonden"
    ZORG_GESTOPT = "zorg_gestopt", "Jeugdhulp gestopt"
    HANDMATIGE_TOEWIJZING = "handmatige_toewijzing", "Handmatige toewijzing vastgelegd"
    TOEWIJZING_OP_BEPALING = "toewijzing_op_bepaling", "Toewijzing (JW301) op GI-bepaling verzonden"
    LICHTE_HULP_DOORLOPEND = "lichte_hulp_doorlopend", "Lichte hulp loopt door na afsluiting"
    # A toewijzing in segment 2 to 4 still runs when the case comes to segment 1, and is ended [HvB-S1].
    LOPENDE_TOEWIJZING_GEMELD = "lopende_toewijzing_gemeld", "Lopende toewijzing segment 2–4 gemeld"
    LOPENDE_TOEWIJZING_BEEINDIGD = "lopende_toewijzing_beeindigd", "Lopende toewijzing segment 2–4 beëindigd"
    # The youth's data corrected during the case (a move, a birth, a typo), and the notice to the backoffice when
    # a message already sent to the other party carried the old data.
    JEUGDIGE_GECORRIGEERD = "jeugdige_gecorrigeerd", "Gegevens jeugdige gewijzigd"
    GEGEVENS_NA_BERICHT = "gegevens_na_bericht", "Gegevens gewijzigd na verzonden bericht"
    # Letters to the family recorded as sent (who the coördinator/regievoerder is, the DAT-brief).
    BRIEF_GEZIN_VERSTUURD = "brief_gezin_verstuurd", "Brief aan het gezin verstuurd"
    # Overbruggingszorg arranged while the youth waits for the start of care.
    OVERBRUGGING_VASTGELEGD = "overbrugging_vastgelegd", "Overbruggingszorg geregeld"
    # The meldcode: consultation of Veilig Thuis, a melding or a zorgmelding.
    MELDCODE_STAP = "meldcode_stap", "Stap meldcode vastgelegd"
    # Written by the deadline engine (deadlines.services) on the case timeline.
    TERMIJN_OPGESCHORT = "termijn_opgeschort", "Termijn opgeschort"
    TERMIJN_HERVAT = "termijn_hervat", "Termijn hervat"
    TERMIJN_VERLENGD = "termijn_verlengd", "Termijn verlengd"


class CaseEvent(AppendOnlyModel):
    """The case timeline: one row per change, written by the service in the same transaction."""

    append_only_message = "De tijdlijn van een casus kan niet worden gewijzigd of verwijderd."

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("gebeurtenis", max_length=40, choices=EventKind.choices, db_index=True)
    at = models.DateTimeField("moment", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="door"
    )
    actor_role = models.CharField(max_length=30, blank=True)
    from_phase = models.CharField("van fase", max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField("naar fase", max_length=20, choices=Phase.choices, blank=True)
    reason = models.TextField("reden", blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "gebeurtenis"
        verbose_name_plural = "tijdlijn"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]
