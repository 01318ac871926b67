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
# A set's kind. The OpenAPI description lists album and playlist; SoundCloud's own upload
# form also makes EPs, singles and compilations, and its sets carry those types.
SET_TYPES = ("album", "ep", "single", "compilation", "playlist")
