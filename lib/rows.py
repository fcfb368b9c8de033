"""A table read from an upload: its rows, each with its place in the file, and its sheet."""


class SheetRow(list):
    """A row's values, its number in the file (the row Excel or WPS shows, the line of a CSV)
    and whether the spreadsheet hides it. Readers never renumber: a message names the row the
    clerk can find."""

    def __init__(self, values=(), number=0, hidden=False):
        super().__init__(values)
        self.number = number
        self.hidden = hidden


class Table(list):
    """The rows of the sheet a table was read from: its name ("" for a CSV) and how many
    visible sheets the workbook has (a preview names the sheet when there are several)."""

    def __init__(self, rows=(), sheet="", sheet_count=1):
        super().__init__(rows)
        self.sheet = sheet
        self.sheet_count = sheet_count
