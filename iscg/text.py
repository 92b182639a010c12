"""How ISCG compares text typed by people: names, communes, import headers and labels.

One rule for every comparison, so that a name found by the file search is found by the
archive search, the import's matching and the weekly summaries alike, and stored search keys
(``Beneficiary.search_text``, ``Commune.search_name``) read the same as the query typed.
"""

import re
import unicodedata

# Letters NFKD does not decompose: without them "Cœur" would never match "coeur".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def normalize(value) -> str:
    """Lower-case, unaccented, every punctuation mark a space, single-spaced.

    "Dupont-Lefèvre" → "dupont lefevre", "N’Diaye" and "N'Diaye" → "n diaye",
    "L'Isle-d'Abeau" → "l isle d abeau", "Nom*" → "nom", "Cœur" → "coeur".
    """
    # Case folded before and after decomposing: "İ" folds to "i" and a combining dot that
    # the next step removes; a compatibility form may decompose to capitals ("㎴" → "pV");
    # "ẞ" and "ß" fold to "ss".
    text = unicodedata.normalize("NFKD", str(value or "").casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    # Ligatures last: some only appear once decomposed ("ꟹ" → "œ").
    text = text.casefold().translate(_LIGATURES)
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", text).split())


def phone_digits(phone: str) -> str:
    """Digits of a French phone number, "+33 6 12…" and "06 12…" giving the same string."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def person_search_text(last_name: str, first_name: str, phone: str) -> str:
    """What the file search reads for a person: "last first phone-digits", normalised."""
    parts = [normalize(last_name), normalize(first_name), phone_digits(phone)]
    return " ".join(part for part in parts if part)
