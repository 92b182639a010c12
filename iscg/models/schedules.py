"""When a worker receives people on a site: the structured schedule of the cahier des
charges ("tous les mardis après-midi", "un mardi après-midi par mois", "trois jeudis
matin par mois", "à préciser"), said in words wherever a site is shown."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
TIMES = {1: "un", 2: "deux", 3: "trois", 4: "quatre"}


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Lundi"
    TUESDAY = 1, "Mardi"
    WEDNESDAY = 2, "Mercredi"
    THURSDAY = 3, "Jeudi"
    FRIDAY = 4, "Vendredi"
    SATURDAY = 5, "Samedi"
    SUNDAY = 6, "Dimanche"


class PartOfDay(models.TextChoices):
    MORNING = "morning", "Matin"
    AFTERNOON = "afternoon", "Après-midi"
    DAY = "day", "Journée"
    TO_CONFIRM = "to_confirm", "Moment à préciser"


_MOMENTS = {
    PartOfDay.MORNING: " matin",
    PartOfDay.AFTERNOON: " après-midi",
    PartOfDay.DAY: "",
    PartOfDay.TO_CONFIRM: "",
}
_AFTER = {PartOfDay.DAY: ", toute la journée", PartOfDay.TO_CONFIRM: " (moment à préciser)"}


class SiteOpening(models.Model):
    """One recurring permanence: a weekday and part of the day, every week or a number
    of times a month (which weeks is agreed locally and may change)."""

    site = models.ForeignKey(
        "iscg.Site",
        verbose_name="lieu d'accueil",
        on_delete=models.CASCADE,
        related_name="openings",
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    part_of_day = models.CharField("moment", max_length=10, choices=PartOfDay.choices)
    # Empty: every week. A weekday comes back 4 or 5 times a month: at most 4 is certain.
    times_per_month = models.PositiveSmallIntegerField(
        "fois par mois",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="Laissez vide pour chaque semaine ; sinon de 1 à 4.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "permanence"
        ordering = ["weekday", "part_of_day"]

    def __str__(self):
        return self.in_words()

    def in_words(self) -> str:
        day = WEEKDAYS[self.weekday]
        moment, after = _MOMENTS[self.part_of_day], _AFTER.get(self.part_of_day, "")
        if self.times_per_month:
            plural = "s" if self.times_per_month > 1 else ""
            return f"{TIMES[self.times_per_month]} {day}{plural}{moment} par mois{after}"
        return f"le {day}{moment}, chaque semaine{after}"


def schedule_in_words(openings, note: str = "") -> str:
    """The whole schedule of a site, from its openings (already read) and its note."""
    words = "; ".join(opening.in_words() for opening in openings)
    if words and note:
        words = f"{words} ({note})"
    words = words or note
    return words[:1].upper() + words[1:] if words else "Horaires à préciser"


_COUNTS = {"tous les": None, "un": 1, "deux": 2, "trois": 3, "quatre": 4}
_PARTS = {"matin": PartOfDay.MORNING, "après-midi": PartOfDay.AFTERNOON}


def parse_schedule(text: str) -> list[tuple[int, str, int | None]] | None:
    """(weekday, part of day, times a month) from the free texts written before the
    schedule was structured ("Tous les mardis après-midi", "Un mardi après-midi par
    mois"); None when the text says something else."""
    words = " ".join((text or "").lower().replace("’", "'").split())
    for prefix, times in _COUNTS.items():
        if not words.startswith(prefix + " "):
            continue
        rest = words[len(prefix) + 1 :].removesuffix(" par mois")
        if (times is None) == words.endswith(" par mois"):
            return None
        for index, day in enumerate(WEEKDAYS):
            for part_word, part in _PARTS.items():
                if rest in (f"{day} {part_word}", f"{day}s {part_word}"):
                    return [(index, part, times)]
            if rest in (day, f"{day}s"):
                return [(index, PartOfDay.TO_CONFIRM, times)]
    return None
