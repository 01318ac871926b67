"""The API's closed sets of values, importable without cost (shared by core, cli and help)."""

LICENSES = (
    "no-rights-reserved",
    "all-rights-reserved",
    "cc-by",
    "cc-by-nc",
    "cc-by-nd",
    "cc-by-sa",
    "cc-by-nc-nd",
    "cc-by-nc-sa",
)
ACCESS_VALUES = ("playable", "preview", "blocked")
SHARING_VALUES = ("public", "private")
