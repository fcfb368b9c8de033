from html.parser import HTMLParser


class _TableParser(HTMLParser):
    """Collect the rows of the first <table> with a given class, keeping rowspans."""

    def __init__(self, css_class):
        super().__init__()
        self.css_class = css_class
        self.depth = 0  # >0 while inside the wanted table
        self.rows = []
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            if self.depth or self.css_class in (attrs.get("class") or "").split():
                self.depth += 1
        elif self.depth and tag == "tr":
            self.row = []
        elif self.depth and tag in {"td", "th"} and self.row is not None:
            self.cell = {"text": "", "rowspan": int(attrs.get("rowspan", 1)), "tag": tag}

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag in {"td", "th"} and self.cell is not None:
            self.cell["text"] = " ".join(self.cell["text"].split())
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def html_table(html, css_class):
    """The table's cells as dicts ``{"text", "rowspan", "tag"}``, row by row."""
    parser = _TableParser(css_class)
    parser.feed(html)
    return parser.rows


def expand_rowspans(rows):
    """Rows of text with every spanned cell repeated on the rows it covers."""
    grid, pending = [], {}
    for row in rows:
        out, cells, col = [], iter(row), 0
        while True:
            if col in pending:
                text, left = pending[col]
                out.append(text)
                if left == 1:
                    del pending[col]
                else:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            out.append(cell["text"])
            if cell["rowspan"] > 1:
                pending[col] = (cell["text"], cell["rowspan"] - 1)
            col += 1
        grid.append(out)
    return grid


# The variable the CI sets on its PostgreSQL leg: there a test that needs PostgreSQL fails
# instead of being skipped, so a leg that quietly ran on SQLite cannot pass.
REQUIRE_POSTGRES = "CI_REQUIRE_POSTGRES"


def postgresql_verdict(vendor, environ, reason):
    """What becomes of a test marked ``postgresql`` on a database of ``vendor``: None (it runs),
    or ("skip" or "fail", why)."""
    if vendor == "postgresql":
        return None
    if environ.get(REQUIRE_POSTGRES, "") not in ("", "0"):
        return "fail", f"{REQUIRE_POSTGRES} is set but the database is {vendor}: {reason}"
    return "skip", reason


def on_the_postgresql_leg(environ):
    return environ.get(REQUIRE_POSTGRES, "") not in ("", "0")


def runs_on_the_postgresql_leg(uses_database, path):
    """Whether the CI's PostgreSQL leg runs a test: one that touches the database and drives
    no browser. The SQLite leg runs every test; a test that touches no database answers the
    same on both, and the browser journeys try the pages, whose queries the crawl already
    runs on PostgreSQL."""
    return uses_database and "browser" not in path.parts


def admin_form_data(response, **changes):
    """What an admin change page posts as it stands (its form and inlines, every value as
    shown), with ``changes`` on top: a user's ``submit`` of the page, the way an attacker edits
    one field of it."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", ()):
        management = inline.formset.management_form
        data.update({management.add_prefix(n): v for n, v in management.initial.items()})
        forms += [form for form in inline.formset.forms if form.initial]
    for form in forms:
        for name in form.fields:
            if form.fields[name].disabled:
                continue
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value
    data.update(changes)
    return data
