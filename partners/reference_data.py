"""Default reference list of partner kinds (Ain), loaded by a data migration."""

PARTNER_KINDS = [
    ("services-sociaux-departement", "Services sociaux du Département"),
    ("caf", "Caisse d'allocations familiales"),
    ("ccas-cias", "CCAS / CIAS"),
    ("aide-aux-victimes", "Association d'aide aux victimes"),
    ("cidff", "CIDFF"),
    ("hebergement-115-siao", "Hébergement, 115, SIAO"),
    ("sante", "Santé (hôpital, CMP)"),
    ("addictologie", "Addictologie (CSAPA)"),
    ("justice", "Justice"),
    ("avocat", "Avocat"),
    ("bailleur", "Bailleur"),
    ("education-nationale", "Éducation nationale"),
    ("protection-enfance", "Protection de l'enfance"),
    ("france-services", "France services"),
    ("autre", "Autre"),
]

# Kinds whose mere mention tells something of a person's health: flagged as such when a
# worker chooses to tell the unit where the person was oriented.
HEALTH_RELATED_KINDS = {"sante", "addictologie"}
