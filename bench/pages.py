"""The pages the benchmark measures, as seen by users of the Ain (one département).

Each page: (label, role, method, path, form data), built from bench/targets.json, which
``manage.py bench_prepare`` writes from the generated database.
"""

import datetime

# What the load writes, recognisable so that bench_prepare can take it out before a run:
# each run starts from the generated data, not from the previous runs' actes and referrals.
LOAD_NOTE = "Entretien de suivi (mesure de performance)."
LOAD_CONTEXT = "Saisine de mesure de charge."


def pages(targets: dict) -> list[dict]:
    case = targets["case_id"]
    now = datetime.datetime.now().strftime("%Y-%m-%dT%H:%M")
    return [
        {
            "label": "Vue témoin (1 requête)",
            "role": "worker",
            "method": "GET",
            "path": "/bench/bare/",
            "bare": True,
        },
        {
            "label": "Tableau de bord de l'intervenant·e",
            "role": "worker",
            "method": "GET",
            "path": "/",
        },
        {
            "label": "Recherche d'un bénéficiaire",
            "role": "worker",
            "method": "GET",
            "path": f"/accompagnements/beneficiaires/?q={targets['search']}",
        },
        {
            "label": "Page d'un accompagnement",
            "role": "worker",
            "method": "GET",
            "path": f"/accompagnements/dossiers/{targets['viewed_case_id']}/",
        },
        {
            "label": "Saisie d'un acte (POST)",
            "role": "worker",
            "method": "POST",
            "path": f"/accompagnements/dossiers/{case}/actes/nouveau/",
            "data": {
                "kind": targets["action_kind_id"],
                "occurred_at": now,
                "duration_minutes": "30",
                "site": targets["site_id"] or "",
                "confidential_note": LOAD_NOTE,
            },
        },
        {
            "label": "Saisine par une unité (POST)",
            "role": "unit_agent",
            "method": "POST",
            "path": "/saisines/nouvelle/",
            "data": {
                "person_last_name": "Mesure",
                "person_first_name": "Charge",
                "person_phone": "06 00 00 00 00",
                "person_sex": "F",
                "person_age": "34",
                "person_commune": "01053",
                "unit": targets["unit_id"],
                "circumstance": "intervention",
                "main_problem": targets["problem_id"],
                "procedure_kind": "none",
                "procedure_reference": "",
                "consent_to_contact": "yes",
                "urgency": "normal",
                "context": LOAD_CONTEXT,
            },
        },
        {
            "label": "Saisines de l'unité",
            "role": "unit_agent",
            "method": "GET",
            "path": "/saisines/unite/",
        },
        {
            "label": "Convention (détail)",
            "role": "prefecture",
            "method": "GET",
            "path": f"/conventions/{targets['convention_id']}/",
        },
        {
            "label": "Tableau de bord des financements",
            "role": "prefecture",
            "method": "GET",
            "path": "/conventions/tableau-de-bord/",
        },
        {
            "label": "Indicateurs en direct",
            "role": "employer_manager",
            "method": "GET",
            "path": "/bilans/statistiques/",
        },
    ]
