"""A full save that leaves out the columns another model's save maintains."""


def save_leaving_out(instance, never, save, **kwargs) -> None:
    """``save(**kwargs)`` of an existing row writing its loaded fields (Django's own rule
    for an instance read with ``only``) except ``never``: those are set by a query of
    another model's save, and an instance read before it would clear them. A save that
    names its fields, or inserts the row, is left as it is."""
    if kwargs.get("update_fields") is None and not instance._state.adding:
        left_out = {*never, *instance.get_deferred_fields()}
        kwargs["update_fields"] = [
            field.name
            for field in instance._meta.concrete_fields
            if not field.primary_key
            and field.attname not in left_out
            and field.name not in left_out
        ]
    save(**kwargs)
