"""Every command of `sc`, once, in the order `sc --help` shows them (gh's: everyday first).

Help, shell completion, the man pages and lazy loading all read this list; nothing else
names the commands. A line is a name, the module under sccli/cli/ that holds it, and the
line the root help shows, so `sc --help` imports no command module. A group's module holds
a Typer `app` with its verbs; a module of top-level commands holds an `app` whose command of
that name is taken. Adding a command is one line here plus its module (README: Development).
"""

from __future__ import annotations

from sccli.core.record import record


@record
class Entry:
    name: str  # as typed: `tracks`, `stream-url`
    module: str  # sccli.cli.<module>
    summary: str  # its line in `sc --help`
    group: bool = False  # a group of verbs (`sc tracks search`), or one command


COMMANDS: tuple[Entry, ...] = (
    Entry("auth", "auth", "Log in to SoundCloud and manage stored tokens.", group=True),
    Entry("me", "library", "Show who you are logged in as."),
    Entry("tracks", "tracks", "Search, upload and manage tracks.", group=True),
    Entry("playlists", "playlists", "Create and manage sets (playlists and albums).", group=True),
    Entry("release", "release", "Build a release (a set and its tracks) from a manifest.", True),
    Entry("stats", "stats", "Record your tracks' counts over time, and show them.", group=True),
    Entry("sync", "sync", "Keep a folder in step with likes, reposts, uploads, a set or a user."),
    Entry("users", "users", "Find and show users.", group=True),
    Entry("likes", "library", "List liked tracks (or sets), yours by default."),
    Entry("reposts", "library", "List reposted tracks (or sets), yours by default."),
    Entry("followings", "library", "List the users someone follows, you by default."),
    Entry("followers", "library", "List the users who follow someone, you by default."),
    Entry("feed", "library", "Show your feed: what the people you follow post and repost."),
    Entry("activities", "library", "Show recent activities, or only yours with --own."),
    Entry("history", "library", "List the tracks you played last (up to 25)."),
    Entry("comment", "social", "Comment on a track, optionally at a point in it."),
    Entry("like", "social", "Like tracks or sets."),
    Entry("unlike", "social", "Take back likes."),
    Entry("repost", "social", "Repost tracks or sets to your followers."),
    Entry("unrepost", "social", "Take back reposts."),
    Entry("follow", "social", "Follow users."),
    Entry("unfollow", "social", "Stop following users."),
    Entry("resolve", "resolve", "Show the track, user or set behind a SoundCloud URL."),
    Entry("stream-url", "resolve", "Print a track's stream URL."),
    Entry("api", "api", "Call the SoundCloud API directly and print the JSON."),
    Entry("config", "config", "Read and change settings, per profile.", group=True),
    Entry("completion", "completion", "Print the completion script for a shell."),
    Entry("sandbox", "sandbox", "Run or reset the local SoundCloud sandbox.", group=True),
)
BY_NAME = {e.name: e for e in COMMANDS}
