"""MLD2xx: ML code smells, found in one file's code by file rules (mldebt.rules.base.FileRule)."""
