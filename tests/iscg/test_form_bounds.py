"""Numbers beyond what the database stores are refused as choices, never a 500."""


def test_a_huge_number_in_a_multiple_choice_is_an_invalid_choice_not_a_500(client):
    """Reproduced by the property test of every form: a post's sites given as
    9223372036854775808 raised OverflowError on SQLite (500)."""
    from django import forms as django_forms

    from iscg.forms import DsfrForm
    from iscg.models import Site

    class Choice(DsfrForm):
        sites = django_forms.ModelMultipleChoiceField(queryset=Site.objects.all())

    form = Choice(data={"sites": ["9223372036854775808"]})
    assert not form.is_valid()
    assert "9223372036854775808" in form.errors["sites"][0]
