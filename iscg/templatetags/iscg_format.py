"""French wording of numbers the pages show."""

from django import template

register = template.Library()


@register.filter
def days(value) -> str:
    """A number of days as read in French: "moins d'un jour", "1 jour", "2 jours"."""
    if value is None or value == "":
        return ""
    value = int(value)
    if value < 1:
        return "moins d'un jour"
    return f"{value} jour" if value == 1 else f"{value} jours"
