"""Who may do what with circulars."""

import rules

from accounts.roles import is_administrator, is_provincial

rules.add_perm("circulars.view_circulars", is_provincial)
rules.add_perm("circulars.edit_circulars", is_administrator)
