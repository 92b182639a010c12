"""Choices of the organisation model, with their French labels."""

from django.db import models


class Role(models.TextChoices):
    WORKER = "worker", "Intervenant·e social·e"
    UNIT_AGENT = "unit_agent", "Policier ou gendarme"
    UNIT_LEAD = "unit_lead", "Chef de service ou commandant d'unité"
    EMPLOYER_MANAGER = "employer_manager", "Responsable employeur"
    PREFECTURE = "prefecture", "Préfecture"
    FUNDER = "funder", "Financeur"
    ADMIN = "admin", "Administrateur départemental"


class UnitKind(models.TextChoices):
    DDPN = "ddpn", "Direction départementale de la police nationale"
    COMMISSARIAT = "commissariat", "Commissariat"
    GROUPEMENT = "groupement", "Groupement de gendarmerie départementale"
    COMPAGNIE = "compagnie", "Compagnie de gendarmerie"
    BRIGADE = "brigade", "Brigade de gendarmerie"

    @classmethod
    def police(cls):
        return [cls.DDPN, cls.COMMISSARIAT]

    @classmethod
    def gendarmerie(cls):
        return [cls.GROUPEMENT, cls.COMPAGNIE, cls.BRIGADE]


class Force(models.TextChoices):
    POLICE = "police", "Police nationale"
    GENDARMERIE = "gendarmerie", "Gendarmerie nationale"


class SiteKind(models.TextChoices):
    UNIT_PREMISES = "unit", "Locaux d'une unité"
    HOSPITAL = "hospital", "Établissement de santé"
    FRANCE_SERVICES = "france_services", "France services"
    TOWN_HALL = "town_hall", "Mairie"
    SOCIAL_SERVICE = "social_service", "Service social ou CAF"
    OTHER = "other", "Autre lieu"


class EmployerKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    CCAS = "ccas", "CCAS / CIAS"
    DEPARTMENT = "department", "Conseil départemental"
    MUNICIPALITY = "municipality", "Commune ou EPCI"
    OTHER = "other", "Autre"


class FunderKind(models.TextChoices):
    FIPD = "fipd", "État – FIPD/FIPDR (préfecture)"
    DEPARTMENT = "department", "Conseil départemental"
    CAF = "caf", "Caisse d'allocations familiales"
    EPCI = "epci", "EPCI"
    MUNICIPALITY = "municipality", "Commune"
    OTHER = "other", "Autre financeur"


class HoldingKind(models.TextChoices):
    HOLDER = "holder", "Titulaire"
    STAND_IN = "stand_in", "Remplacement"
