"""Choices of the conventions app, with their French labels."""

from django.db import models


class ConventionKind(models.TextChoices):
    TRIENNIAL = "triennial", "Triennale de recrutement et de financement"
    FRAMEWORK = "framework", "Cadre départementale"
    ANNUAL = "annual", "Annuelle de financement"
    PARTNERSHIP = "partnership", "Partenariat"


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    SIGNED = "signed", "Signée"
    ACTIVE = "active", "En cours"
    EXPIRED = "expired", "Expirée"
    TERMINATED = "terminated", "Résiliée"

    @classmethod
    def in_force(cls):
        return [cls.SIGNED, cls.ACTIVE]


class PartyRole(models.TextChoices):
    STATE = "state", "État – préfecture"
    DDPN = "ddpn", "Direction départementale de la police nationale"
    GGD = "ggd", "Groupement de gendarmerie départementale"
    EMPLOYER = "employer", "Employeur"
    FUNDER = "funder", "Financeur"


class BudgetCategory(models.TextChoices):
    SALARY = "salary", "Salaire et charges"
    TRAINING = "training", "Formation et supervision"
    EQUIPMENT = "equipment", "Équipement"
    TRAVEL = "travel", "Déplacements"
    OTHER = "other", "Autre"


class AlertKind(models.TextChoices):
    NOTICE = "notice", "Date limite de dénonciation proche"
    EXPIRY = "expiry", "Échéance de la convention proche"
    OVERDUE = "overdue", "Versement en retard"
    REPORT = "report", "Bilan dû non produit"
