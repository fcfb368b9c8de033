"""A row of an uploaded table: its values, and where it stands in the file."""


class SheetRow(list):
    """A row's values, its number in the file (the row Excel or WPS shows, the line of a CSV)
    and whether the spreadsheet hides it. Readers never renumber: a message names the row the
    clerk can find."""

    def __init__(self, values=(), number=0, hidden=False):
        super().__init__(values)
        self.number = number
        self.hidden = hidden
