"""Deterministic made-up seed data: users, tracks (many of them buskers), sets, comments."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sccli.sandbox.views import slug, track_permalink

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
GENRES = (
    "Folk",
    "Jazz",
    "Electronic",
    "Hip-hop",
    "Ambient",
    "Rock",
    "Classical",
    "Blues",
    "Pop",
    "House",
)
ADJ = (
    "quiet",
    "golden",
    "northern",
    "broken",
    "late",
    "electric",
    "paper",
    "velvet",
    "salt",
    "amber",
    "hollow",
    "bright",
    "slow",
    "lucky",
    "wild",
    "tidal",
    "copper",
    "silver",
    "early",
    "lost",
)
NOUN = (
    "harbour",
    "station",
    "river",
    "market",
    "bridge",
    "alley",
    "garden",
    "tram",
    "lantern",
    "square",
    "morning",
    "arcade",
    "ferry",
    "balcony",
    "subway",
    "window",
    "orchard",
    "canal",
    "bakery",
    "pier",
)
CITIES = (
    "Lisbon",
    "Glasgow",
    "Montreal",
    "Osaka",
    "Berlin",
    "Lagos",
    "Austin",
    "Valparaíso",
    "Tbilisi",
    "Leeds",
)
TAGS = (
    "street",
    "live",
    "acoustic",
    "field-recording",
    "lofi",
    "demo",
    "busking",
    "piano",
    "guitar",
    "voice",
    "synth",
    "drums",
    "late night",
    "city sounds",
)

FIRST_NAMES = ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fen", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea")
N_USERS = 60
N_TRACKS = 1200
N_BUSKERS = 360  # 40 per license, and 40 more cc-by-sa (a popular search)
SANDBOX_USER_ID = 1001
USER_BASE = 1001
TRACK_BASE = 300001
PLAYLIST_BASE = 900001
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)


def api_time(dt: datetime) -> str:
    return dt.strftime("%Y/%m/%d %H:%M:%S +0000")


def users() -> list[dict]:
    rnd = random.Random(7)
    out = []
    for i in range(N_USERS):
        uid = USER_BASE + i
        if i == 0:
            username, full = "sandbox-user", "Sandbox User"
        else:
            first = rnd.choice(FIRST_NAMES)
            username = f"{rnd.choice(ADJ)}-{rnd.choice(NOUN)}-{i}"
            full = f"{first} {rnd.choice(NOUN).title()}"
        city = rnd.choice(CITIES)  # drawn in the order they always were: the seed stays put
        followers, followings_n = rnd.randint(0, 50000), rnd.randint(0, 500)
        if i == 0:  # sandbox-user's counts are its relations' own (see sandbox_user_social)
            followers, followings_n = 0, 0
        out.append(
            {
                "id": uid,
                "username": username,
                "permalink": username,
                "full_name": full,
                "first_name": full.split()[0],
                "last_name": full.split()[-1],
                "city": city,
                "country": "",
                "description": f"Made-up sandbox musician number {i}.",
                "followers_count": followers,
                "followings_count": followings_n,
                "created_at": api_time(EPOCH - timedelta(days=rnd.randint(100, 3000))),
                "plan": "Pro Unlimited" if i == 0 else rnd.choice(("Free", "Pro")),
            }
        )
    return out


def _words(rnd: random.Random, i: int, place: str) -> tuple[str, str, list[str], str]:
    """Title, license, tags and description: a buskers' recording, or another made-up track."""
    if 6 <= i < N_BUSKERS + 6:
        title = f"Buskers at the {place}" if i % 3 else f"{place.title()} (buskers session)"
        license = (LICENSES + ("cc-by-sa",))[(i - 6) % (len(LICENSES) + 1)]
        tags = ["busking", "street"] + rnd.sample(TAGS, 2)
        return title, license, tags, f"Street musicians recorded live by the {place}."
    title = f"{place.title()} {rnd.choice(('Theme', 'Song', 'Loop', 'Sketch', 'Waltz', 'Dub'))}"
    license = rnd.choice(LICENSES)
    tags = rnd.sample(TAGS, 3)
    return title, license, tags, f"A made-up track about a {place}."


def _access(roll: float) -> str:
    return "blocked" if roll < 0.03 else "preview" if roll < 0.08 else "playable"


def _track(rnd: random.Random, i: int, user: dict) -> dict:
    tid = TRACK_BASE + i
    title, license, tags, description = _words(rnd, i, f"{rnd.choice(ADJ)} {rnd.choice(NOUN)}")
    created = EPOCH + timedelta(days=rnd.randint(0, 900), seconds=rnd.randint(0, 86399))
    access = _access(rnd.random())
    return {
        "id": tid,
        "user_id": user["id"],
        "title": title,
        "permalink": track_permalink(title, tid),
        "description": description,
        "genre": rnd.choice(GENRES),
        "tag_list": " ".join(f'"{t}"' if " " in t else t for t in dict.fromkeys(tags)),
        "duration": rnd.randint(45, 600) * 1000 + rnd.randint(0, 999),
        "bpm": rnd.randint(60, 180),
        "license": license,
        "playback_count": rnd.randint(0, 250000),
        "favoritings_count": rnd.randint(0, 5000),
        "reposts_count": rnd.randint(0, 800),
        "comment_count": 0,
        "download_count": 0,
        "created_at": api_time(created),
        "sharing": "public",
        "streamable": True,
        "downloadable": rnd.random() < 0.2,
        "commentable": rnd.random() > 0.05,
        "access": access,
        "label_name": "",
        "isrc": "",
        "purchase_url": "",
        "release_year": created.year,
        "release_month": created.month,
        "release_day": created.day,
    }


def tracks(user_list: list[dict], n: int = N_TRACKS) -> list[dict]:
    """n made-up tracks; the first six are sandbox-user's, then 360 buskers' recordings."""
    rnd = random.Random(11)
    return [
        _track(rnd, i, user_list[1 + i % (N_USERS - 1)] if i >= 6 else user_list[0])
        for i in range(n)
    ]


def playlists(user_list: list[dict], track_list: list[dict]) -> list[dict]:
    rnd = random.Random(13)
    out = []
    for i in range(40):
        user = user_list[i % N_USERS]
        own = [t["id"] for t in track_list if t["user_id"] == user["id"]]
        chosen = own[:8] if own else [t["id"] for t in rnd.sample(track_list, 6)]
        kind = "album" if i % 3 == 0 else "playlist"
        title = f"{rnd.choice(ADJ).title()} {rnd.choice(NOUN).title()}" + (
            " Sessions" if kind == "album" else " Mix"
        )
        if i < 8:
            title = f"Buskers of {CITIES[i]}"
        out.append(
            {
                "id": PLAYLIST_BASE + i,
                "user_id": user["id"],
                "title": title,
                "permalink": slug(title),
                "description": f"A made-up {kind}.",
                "set_type": kind,
                "sharing": "public",
                "genre": rnd.choice(GENRES),
                "tag_list": "",
                "license": "all-rights-reserved",
                "created_at": api_time(EPOCH + timedelta(days=rnd.randint(0, 900))),
                "tracks": chosen,
            }
        )
    return out


def followings(user_list: list[dict]) -> list[tuple[int, int, float]]:
    """Who follows whom among the made-up users: (user, target, at). sandbox-user follows none."""
    at = EPOCH.timestamp()
    others = [u["id"] for u in user_list[1:]]
    rows = [(uid, SANDBOX_USER_ID, at + i) for i, uid in enumerate(others[:12])]
    for i, uid in enumerate(others):
        for step in (1, 7, 19):
            rows.append((uid, others[(i + step) % len(others)], at + 100 + i * 3 + step))
    return rows


def reposts(user_list: list[dict], track_list: list[dict]) -> list[tuple[int, str, int, float]]:
    """Each made-up user reposts two tracks of others: (user, kind, target, at)."""
    rnd = random.Random(17)
    rows = []
    for i, u in enumerate(user_list[1:]):
        theirs = [t for t in track_list[: min(len(track_list), 600)] if t["user_id"] != u["id"]]
        for t in rnd.sample(theirs, min(2, len(theirs))):
            created = datetime.strptime(t["created_at"], "%Y/%m/%d %H:%M:%S +0000")
            at = created.replace(tzinfo=timezone.utc).timestamp() + 86400 * (1 + i % 30)
            rows.append((u["id"], "track", t["id"], at))
    return rows


SANDBOX_FOLLOWS = range(USER_BASE + 29, USER_BASE + 41)  # twelve users no test acts on


def sandbox_user_social(track_list: list[dict], set_ids: list[int]) -> dict[str, list[tuple]]:
    """sandbox-user's own social life, so that every command does something on a fresh
    sandbox: it follows twelve users (its feed is what they post and repost), likes a track of
    them and two sets (downloadable tracks: `sc likes | sc tracks download -` works), reposts
    three tracks, and played eight. Rows per table."""
    at = (EPOCH + timedelta(days=1000)).timestamp()
    me = SANDBOX_USER_ID
    theirs = [t for t in track_list if t["user_id"] in SANDBOX_FOLLOWS]
    liked = [t["id"] for t in theirs if t["downloadable"] and t["access"] == "playable"]
    others = [t["id"] for t in theirs if t["id"] not in liked]
    return {
        "followings": [(me, u, at + i) for i, u in enumerate(SANDBOX_FOLLOWS)],
        "likes": [(me, "track", t, at + i) for i, t in enumerate(liked[:10])]
        + [(me, "playlist", p, at + i) for i, p in enumerate(set_ids[19:21])],
        "reposts": [(me, "track", t, at + i) for i, t in enumerate(others[:3])],
        "plays": [(me, t, at + i) for i, t in enumerate(others[3:11])],
    }
