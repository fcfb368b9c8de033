"""Lists inside a sentence, punctuated as the reader's language punctuates them; a command's
message in both languages."""

from django.utils import translation
from django.utils.translation import pgettext

# What ends a sentence, in either language.
SENTENCE_ENDS = ("。", ".")


def join_names(names):
    """郑州市、洛阳市 in Chinese; separated by commas in English."""
    return pgettext("between the names of a list", "、").join(str(name) for name in names)


def join_clauses(clauses):
    """The clauses of one message: separated by ； in Chinese, by semicolons in English."""
    return pgettext("between the clauses of a message", "；").join(str(c) for c in clauses)


def join_sentences(sentences):
    """Sentences made one: each loses its own full stop, they are joined as clauses (；) and the
    whole ends with one (in the reader's language): “A。” and “B。” → “A；B。”."""
    clauses = []
    for sentence in sentences:
        text = str(sentence).strip()
        while text.endswith(SENTENCE_ENDS):
            text = text[:-1]
        if text:
            clauses.append(text)
    if not clauses:
        return ""
    return join_clauses(clauses) + pgettext("at the end of a sentence", "。")


def bilingual(message, **params):
    """A command's message for the operator: in Chinese, then in English (once its translation
    exists; one line if both read the same)."""
    lines = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            text = str(message) % params if params else str(message)
        if text not in lines:
            lines.append(text)
    return "\n".join(lines)
