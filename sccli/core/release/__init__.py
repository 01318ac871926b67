"""`sc release`: a whole release from one manifest, planned, idempotent and resumable.

manifest  reads and checks release.toml, every problem at once
audio     what a file says about itself: tags, duration, hash (mutagen)
scaffold  writes a release.toml from a folder of audio files
state     release.lock.json, a cache of identities beside the manifest
identity  finds the release's set and tracks again in the real world
plan      what push would do, computed with no writes
push      does the plan: uploads, updates, the set, publishing
"""
