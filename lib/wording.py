"""Lists inside a sentence, punctuated as the reader's language punctuates them."""

from django.utils.translation import pgettext


def join_names(names):
    """郑州市、洛阳市 in Chinese; separated by commas in English."""
    return pgettext("between the names of a list", "、").join(str(name) for name in names)


def join_clauses(clauses):
    """The clauses of one message: separated by ； in Chinese, by semicolons in English."""
    return pgettext("between the clauses of a message", "；").join(str(c) for c in clauses)
