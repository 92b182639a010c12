"""Choices of the case-management model, with their French labels."""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"
    OTHER = "X", "Autre"
    UNKNOWN = "U", "Non renseigné"


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", "Moins de 18 ans"
    AGE_18_24 = "18-24", "18 à 24 ans"
    AGE_25_34 = "25-34", "25 à 34 ans"
    AGE_35_44 = "35-44", "35 à 44 ans"
    AGE_45_54 = "45-54", "45 à 54 ans"
    AGE_55_64 = "55-64", "55 à 64 ans"
    AGE_65_PLUS = "65+", "65 ans et plus"
    UNKNOWN = "unknown", "Âge inconnu"

    @classmethod
    def for_age(cls, age: int | None) -> "AgeBand":
        if age is None or age < 0:
            return cls.UNKNOWN
        for band, upper in (
            (cls.UNDER_18, 17),
            (cls.AGE_18_24, 24),
            (cls.AGE_25_34, 34),
            (cls.AGE_35_44, 44),
            (cls.AGE_45_54, 54),
            (cls.AGE_55_64, 64),
        ):
            if age <= upper:
                return band
        return cls.AGE_65_PLUS


class FamilySituation(models.TextChoices):
    SINGLE = "single", "Personne seule"
    COUPLE = "couple", "En couple"
    SINGLE_PARENT = "single_parent", "Famille monoparentale"
    COUPLE_WITH_CHILDREN = "couple_children", "Couple avec enfant(s)"
    SEPARATED = "separated", "Séparé·e ou en cours de séparation"
    WIDOWED = "widowed", "Veuf ou veuve"
    UNKNOWN = "unknown", "Non renseignée"


class Profile(models.TextChoices):
    VICTIM = "victim", "Victime"
    AT_RISK = "at_risk", "En voie de victimisation"
    DISTRESS = "distress", "En détresse ou difficulté sociale"
    SUSPECT = "suspect", "Mis en cause"
    FAMILY = "family", "Membre de la famille d'une de ces personnes"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Oui"
    NO = "no", "Non"
    UNKNOWN = "unknown", "Ne sait pas"


class ReferralOrigin(models.TextChoices):
    FSI_DIRECT = "fsi_direct", "Saisine directe par un policier ou un gendarme"
    FSI_INDIRECT = "fsi_indirect", "Auto-saisine (résumé hebdomadaire d'activité)"
    SELF = "self", "La personne est venue d'elle-même"
    PARTNER = "partner", "Un partenaire"
    OTHER = "other", "Autre"

    @classmethod
    def from_units(cls):
        return [cls.FSI_DIRECT, cls.FSI_INDIRECT]


class Circumstance(models.TextChoices):
    INTERVENTION = "intervention", "Lors d'une intervention"
    PHONE_CALL = "phone_call", "Lors d'un appel téléphonique"
    SPONTANEOUS = "spontaneous", "Présentation spontanée au service"
    PROCEDURE = "procedure", "Traitement d'une procédure"


class ProcedureKind(models.TextChoices):
    COMPLAINT = "complaint", "Plainte"
    HANDRAIL = "main_courante", "Main courante"
    PVRJ = "pvrj", "Procès-verbal de renseignement judiciaire"
    NONE = "none", "Aucune"


class Urgency(models.TextChoices):
    NORMAL = "normal", "Normale"
    URGENT = "urgent", "Urgente (sous 48 heures)"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Reçue"
    TAKEN = "taken", "Prise en compte"
    CONTACT_MADE = "contact_made", "Contact établi"
    UNREACHABLE = "unreachable", "Personne injoignable"
    REFUSED = "refused", "Refus de la personne"
    ORIENTED = "oriented", "Orientée vers des partenaires"
    CLOSED = "closed", "Clôturée"


class ClosingReason(models.TextChoices):
    GOALS_MET = "goals_met", "Objectifs de l'accompagnement atteints"
    ORIENTED = "oriented", "Relais pris par un partenaire"
    REFUSED = "refused", "Refus ou fin d'adhésion de la personne"
    UNREACHABLE = "unreachable", "Personne injoignable"
    MOVED = "moved", "Déménagement hors du secteur"
    OTHER = "other", "Autre motif"
    # Set by retention only, on a file left without contact for the active period.
    NO_CONTACT = "auto_no_contact", "Sans contact, clôture automatique"

    @classmethod
    def for_workers(cls) -> list[tuple[str, str]]:
        """The reasons a worker (or an import) gives; the automatic one is retention's."""
        return [(value, label) for value, label in cls.choices if value != cls.NO_CONTACT]


class LegalReport(models.TextChoices):
    NONE = "", "Aucun"
    PROSECUTOR = "prosecutor", "Signalement au procureur (art. 226-14 du code pénal)"
    CRIP = "crip", "Information préoccupante à la CRIP"


class OrientationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    DONE = "done", "Effectuée"
    REFUSED = "refused", "Refusée par la personne"
    NO_FOLLOW_UP = "no_follow_up", "Sans suite"


class FeedbackKind(models.TextChoices):
    CONTACT_ESTABLISHED = "contact_established", "Contact établi et accompagnement en cours"
    UNREACHABLE = "unreachable", "Personne injoignable"
    REFUSED_HELP = "refused_help", "Refus d'aide"
    DID_NOT_COME = "did_not_come", "Personne non venue"
    SITUATION_WORSENED = "situation_worsened", "Situation aggravée — inciter au dépôt de plainte"

    @classmethod
    def mandatory(cls):
        """The protocol of 2013, art. 4: the unit must be told in these cases."""
        return [cls.UNREACHABLE, cls.REFUSED_HELP, cls.DID_NOT_COME, cls.SITUATION_WORSENED]


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", "Sur place"
    PHONE = "phone", "Par téléphone"
