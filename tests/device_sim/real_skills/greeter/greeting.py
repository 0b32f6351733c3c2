"""A sibling module, imported by plain name as in the uploaded bundle."""


def time_of_day_word(_):
    return _("Have a nice day.")
