"""Default reference lists of the Ain (problems, kinds of actes), loaded by a data migration."""

PROBLEMS = [
    ("violences-conjugales", "Violences conjugales"),
    ("violences-intrafamiliales", "Violences intrafamiliales (hors couple)"),
    ("violences-sexuelles", "Violences sexuelles"),
    ("enfance-en-danger", "Mineur en danger ou maltraitance"),
    ("conflit-conjugal", "Conflit conjugal sans violence"),
    ("conflit-familial", "Conflit familial"),
    ("conflit-voisinage", "Conflit de voisinage"),
    ("difficultes-educatives", "Difficultés éducatives, parentalité"),
    ("fugue-disparition", "Fugue ou disparition"),
    ("precarite", "Précarité, difficultés financières"),
    ("logement", "Logement, hébergement"),
    ("sante-mentale", "Souffrance psychique, troubles psychiatriques"),
    ("addictions", "Addictions (alcool, drogues)"),
    ("vulnerabilite-isolement", "Vulnérabilité, isolement (personne âgée, handicap)"),
    ("harcelement", "Harcèlement, menaces"),
    ("acces-aux-droits", "Accès aux droits, démarches administratives"),
    ("prevention-recidive", "Mis en cause : prévention de la réitération"),
    ("autre", "Autre problématique"),
]

# (code, label, legal_report, is_contact)
ACTION_KINDS = [
    ("entretien-physique", "Entretien physique", "", True),
    ("entretien-telephonique", "Entretien téléphonique", "", True),
    ("visite-domicile", "Visite à domicile", "", True),
    ("accompagnement-physique", "Accompagnement physique", "", True),
    ("demarche-administrative", "Démarche administrative", "", False),
    ("contact-partenaire", "Contact partenaire", "", False),
    ("ecrit", "Écrit (courrier, rapport)", "", False),
    (
        "signalement-procureur",
        "Signalement au procureur (art. 226-14 du code pénal)",
        "prosecutor",
        False,
    ),
    ("information-preoccupante", "Information préoccupante à la CRIP", "crip", False),
]
