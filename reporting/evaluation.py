"""The qualitative evaluation of a bilan: the questions of the cahier des charges.

"Il s'agira notamment de vérifier si la présence de l'intervenant social répond
effectivement au besoin local et si son action est en adéquation avec les attentes des
partenaires, de s'assurer des bonnes relations professionnelles entre les différents
intervenants et avec les personnels de la police et de la gendarmerie, de vérifier le rôle
joué par l'intervenant au sein des commissariats et des unités de gendarmerie et de
formuler éventuellement des propositions pour améliorer la mise en œuvre du dispositif."
(Ain, évaluation qualitative.)

The worker and the employer each answer them (``Report.worker_answers`` and
``employer_answers``); their free text (``worker_evaluation``, ``employer_evaluation``)
holds their other observations, and all of what bilans made before held.
"""

import hashlib
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    label: str


QUESTIONS = (
    Question(
        "local_needs",
        "La présence de l'intervenant·e social·e répond-elle effectivement au besoin local ?",
    ),
    Question("partners", "Son action est-elle en adéquation avec les attentes des partenaires ?"),
    Question(
        "relations",
        "Comment se passent les relations professionnelles entre les différents intervenants, "
        "et avec les personnels de la police et de la gendarmerie ?",
    ),
    Question(
        "role_in_units",
        "Quel rôle l'intervenant·e joue-t-il ou elle au sein des commissariats et des unités "
        "de gendarmerie ?",
    ),
    Question("proposals", "Quelles propositions pour améliorer la mise en œuvre du dispositif ?"),
)
KEYS = tuple(question.key for question in QUESTIONS)
OTHER_LABEL = "Autres observations"
# Beyond this, an answer is no longer an evaluation but a document to attach elsewhere.
MAX_ANSWER_LENGTH = 5000

PARTS = {
    "worker": ("worker_answers", "worker_evaluation"),
    "employer": ("employer_answers", "employer_evaluation"),
}


def answered(report, part: str) -> list[tuple[str, str]]:
    """(question, answer) for each question, then the other observations; "" if none."""
    answers_field, text_field = PARTS[part]
    answers = getattr(report, answers_field) or {}
    rows = [(question.label, answers.get(question.key, "")) for question in QUESTIONS]
    rows.append((OTHER_LABEL, getattr(report, text_field)))
    return rows


def version(report, part: str) -> str:
    """What one part says now, as a short digest: the form carries the version it showed,
    so that a save from a second tab over a newer version is refused, not silent."""
    answers_field, text_field = PARTS[part]
    said = [getattr(report, answers_field) or {}, getattr(report, text_field)]
    return hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()[:16]


def unanswered(report, part: str) -> int:
    """How many of the cahier des charges' questions this part leaves without an answer."""
    answers = getattr(report, PARTS[part][0]) or {}
    return sum(1 for key in KEYS if not answers.get(key, "").strip())
