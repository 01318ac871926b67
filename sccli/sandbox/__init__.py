"""A local, stateful imitation of the SoundCloud API. Imports nothing from core/ or cli/."""

CLIENT_ID = "sandbox"
CLIENT_SECRET = "sandbox-secret"
