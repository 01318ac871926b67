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
# A set's set_type, as the API takes it (the spec's enum for POST and PUT /playlists).
SET_TYPES = ("album", "playlist")
# What a release manifest may call itself (SoundCloud's upload form offers all five). No
# writable set field carries more than set_type (the spec's playlist_type and type are
# read-only), so ep, single and compilation are sent as album: SoundCloud calls them albums.
RELEASE_TYPES = ("album", "ep", "single", "compilation", "playlist")
# What a track's storefront offers (the spec's Storefront type).
STOREFRONT_TYPES = (
    "digital",
    "vinyl",
    "cd",
    "cassette",
    "apparel",
    "sample_pack",
    "subscription",
    "live_event",
    "live_stream",
    "other",
)
