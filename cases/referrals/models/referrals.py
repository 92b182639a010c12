"""Referrals (saisines) and the typed feedback that is all a unit learns of a case."""

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Greatest
from simple_history.models import HistoricalRecords

from cases.enums import (
    Circumstance,
    FeedbackKind,
    ProcedureKind,
    ReferralOrigin,
    ReferralStatus,
    Sex,
    Urgency,
)
from iscg import access
from iscg.full_save import save_leaving_out
from iscg.gate import GatedQuerySet
from iscg.loaded_relations import TrustLoadedRelations


class ReferralQuerySet(GatedQuerySet):
    def readable_by(self, user):
        """Workers of the routed post; unit users for the units they follow.

        Unit users read only what their unit entered, the status and the feedback:
        views for them render ``Referral.UNIT_FIELDS`` and nothing of the case.
        """
        return self.live().filter(
            Q(post__in=access.worked_post_ids(user))
            | Q(source_unit__in=access.followed_unit_ids(user))
        )

    def live(self):
        """Without archived referrals: they leave every list, the units' ones too."""
        return self.filter(archived_at__isnull=True)

    def for_workers_of(self, user):
        return self.gated(
            user, lambda user: self.live().filter(post__in=access.worked_post_ids(user))
        )

    def for_units_of(self, user):
        return self.gated(
            user, lambda user: self.live().filter(source_unit__in=access.followed_unit_ids(user))
        )


FEEDBACK_FLAGS = ["last_feedback_at", "refusal_feedback_sent"]
NOT_CONTACTED = (ReferralStatus.RECEIVED, ReferralStatus.TAKEN)
# A referral from a unit, not closed nor archived, not yet contacted, or without any
# feedback, or refused without the « refus d'aide » feedback.
FEEDBACK_MAY_BE_DUE = (
    Q(source_unit__isnull=False, archived_at__isnull=True)
    & ~Q(status=ReferralStatus.CLOSED)
    & (
        Q(status__in=NOT_CONTACTED)
        | Q(last_feedback_at__isnull=True)
        | Q(status=ReferralStatus.REFUSED, refusal_feedback_sent=False)
    )
)


class Referral(TrustLoadedRelations, models.Model):
    # What a unit may read back of its own referrals: what it entered, status, dates.
    UNIT_FIELDS = (
        "number",
        "received_at",
        "source_unit",
        "submitted_by",
        "origin",
        "circumstance",
        "main_problem",
        "procedure_kind",
        "procedure_reference",
        "consent_to_contact",
        "urgency",
        "status",
        "person_last_name",
        "person_first_name",
        "person_phone",
        "person_sex",
        "person_birth_year",
        "person_age",
        "person_commune",
        "context",
    )

    number = models.CharField("numéro", max_length=20, unique=True, editable=False)
    received_at = models.DateTimeField("reçue le")
    source_unit = models.ForeignKey(
        "iscg.Unit",
        verbose_name="unité à l'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    submitted_by = models.ForeignKey(
        "iscg.User",
        verbose_name="transmise par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_referrals",
    )
    origin = models.CharField("origine", max_length=15, choices=ReferralOrigin.choices)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire à l'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    circumstance = models.CharField(
        "circonstance", max_length=15, choices=Circumstance.choices, blank=True
    )
    main_problem = models.ForeignKey(
        "cases.Problem",
        verbose_name="problématique principale",
        on_delete=models.PROTECT,
        related_name="main_referrals",
    )
    secondary_problems = models.ManyToManyField(
        "cases.Problem",
        verbose_name="problématiques secondaires",
        blank=True,
        related_name="secondary_referrals",
    )
    procedure_kind = models.CharField(
        "procédure liée",
        max_length=15,
        choices=ProcedureKind.choices,
        default=ProcedureKind.NONE,
    )
    procedure_reference = models.CharField("référence de la procédure", max_length=60, blank=True)
    consent_to_contact = models.BooleanField("la personne accepte d'être contactée")
    urgency = models.CharField(
        "urgence", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        "statut", max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )

    # The person, as the unit (or the worker) entered them.
    person_last_name = models.CharField("nom", max_length=150, blank=True)
    person_first_name = models.CharField("prénom", max_length=150, blank=True)
    person_phone = models.CharField("téléphone", max_length=30, blank=True)
    person_sex = models.CharField("sexe", max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    person_birth_year = models.PositiveSmallIntegerField(
        "année de naissance", null=True, blank=True
    )
    person_age = models.PositiveSmallIntegerField("âge", null=True, blank=True)
    person_commune = models.ForeignKey(
        "iscg.Commune",
        verbose_name="commune de résidence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    context = models.TextField("contexte", blank=True, max_length=2000)

    # Routing and handling by the worker.
    post = models.ForeignKey(
        "iscg.Post",
        verbose_name="poste destinataire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    beneficiary = models.ForeignKey(
        "cases.Beneficiary",
        verbose_name="bénéficiaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="accompagnement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    taken_by = models.ForeignKey(
        "iscg.User",
        verbose_name="prise en compte par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField("prise en compte le", null=True, blank=True)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    import_batch = models.ForeignKey(
        "cases.ImportBatch",
        verbose_name="import d'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    archived_at = models.DateTimeField("archivé le", null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    # When the latest feedback was sent, and whether a « refus d'aide » one was (kept by
    # ``UnitFeedback.save``): the worker's feedbacks due and the unit's new feedbacks are
    # read from the referral's own columns and partial indexes, where asking the
    # feedbacks table about each referral read it whole (hashed) or one row at a time.
    last_feedback_at = models.DateTimeField(
        "dernier retour le", null=True, blank=True, editable=False
    )
    refusal_feedback_sent = models.BooleanField(default=False, editable=False)

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[secondary_problems])

    class Meta:
        verbose_name = "saisine"
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["post", "status", "received_at"]),
            models.Index(fields=["post", "received_at"], name="referral_post_received"),
            models.Index(fields=["source_unit", "received_at"]),
            # The referrals that may owe their unit a feedback (cases.referrals.selectors
            # .feedback_due; its conditions imply this one, so PostgreSQL reads here).
            models.Index(
                fields=["post", "received_at"],
                condition=FEEDBACK_MAY_BE_DUE,
                name="referral_feedback_may_be_due",
            ),
            # A unit's referrals by their latest feedback (the home's new feedbacks).
            models.Index(
                fields=["source_unit", "-last_feedback_at"],
                condition=Q(last_feedback_at__isnull=False, archived_at__isnull=True),
                name="referral_unit_last_feedback",
            ),
        ]

    def __str__(self):
        return f"Saisine {self.number}"

    def save(self, **kwargs):
        # The feedback flags are written by UnitFeedback.save alone: a referral read
        # before a feedback was sent (another tab, another worker) and saved after it
        # would otherwise clear them, and the feedback would be owed again.
        save_leaving_out(self, FEEDBACK_FLAGS, super().save, **kwargs)

    @property
    def person_is_anonymous(self) -> bool:
        return not (self.person_last_name or self.person_first_name)

    @property
    def person_display(self) -> str:
        return self.person_name_of(self.person_last_name, self.person_first_name)

    @staticmethod
    def person_name_of(last_name: str, first_name: str) -> str:
        """How the referred person is named on screen, from the columns alone (for rows
        read with ``values()``)."""
        if not (last_name or first_name):
            return "Anonyme"
        return f"{last_name.upper()} {first_name}".strip()


class UnitFeedback(TrustLoadedRelations, models.Model):
    """A typed message from the worker to the unit: the only case information it receives."""

    referral = models.ForeignKey(
        Referral, verbose_name="saisine", on_delete=models.CASCADE, related_name="feedbacks"
    )
    kind = models.CharField("retour", max_length=20, choices=FeedbackKind.choices)
    attempts = models.PositiveSmallIntegerField(
        "nombre de tentatives de contact", null=True, blank=True
    )
    message = models.TextField(
        "message à l'unité",
        blank=True,
        max_length=500,
        help_text="Facultatif. Ce texte sort du secret professionnel : n'y mettez que ce que "
        "l'unité doit savoir.",
    )
    author = models.ForeignKey(
        "iscg.User", verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    # Told to the unit only when the worker ticks them in the feedback: never automatic.
    partner_kinds = models.ManyToManyField(
        "partners.PartnerKind",
        verbose_name="orientation annoncée à l'unité vers",
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[partner_kinds])

    class Meta:
        verbose_name = "retour à l'unité"
        verbose_name_plural = "retours aux unités"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.referral.number})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The latest of the feedbacks' times, whatever order they are saved in.
        latest = Greatest(Coalesce("last_feedback_at", Value(self.sent_at)), Value(self.sent_at))
        flags = {"last_feedback_at": latest}
        if self.kind == FeedbackKind.REFUSED_HELP:
            flags["refusal_feedback_sent"] = True
        Referral.objects.filter(pk=self.referral_id).update(**flags)
        if "referral" in self._state.fields_cache:  # the caller's instance too
            self.referral.refresh_from_db(fields=FEEDBACK_FLAGS)
