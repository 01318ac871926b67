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
            first = rnd.choice(
                (
                    "Ada",
                    "Ben",
                    "Cleo",
                    "Dev",
                    "Eli",
                    "Fen",
                    "Gus",
                    "Hana",
                    "Ivo",
                    "Jun",
                    "Kai",
                    "Lea",
                )
            )
            username = f"{rnd.choice(ADJ)}-{rnd.choice(NOUN)}-{i}"
            full = f"{first} {rnd.choice(NOUN).title()}"
        out.append(
            {
                "id": uid,
                "username": username,
                "permalink": username,
                "full_name": full,
                "first_name": full.split()[0],
                "last_name": full.split()[-1],
                "city": rnd.choice(CITIES),
                "country": "",
                "description": f"Made-up sandbox musician number {i}.",
                "followers_count": rnd.randint(0, 50000),
                "followings_count": rnd.randint(0, 500),
                "created_at": api_time(EPOCH - timedelta(days=rnd.randint(100, 3000))),
                "plan": "Pro Unlimited" if i == 0 else rnd.choice(("Free", "Pro")),
            }
        )
    return out


def tracks(user_list: list[dict]) -> list[dict]:
    rnd = random.Random(11)
    out = []
    for i in range(N_TRACKS):
        tid = TRACK_BASE + i
        user = user_list[1 + i % (N_USERS - 1)] if i >= 6 else user_list[0]
        busker = i < N_BUSKERS + 6 and i >= 6
        place = f"{rnd.choice(ADJ)} {rnd.choice(NOUN)}"
        if busker:
            title = f"Buskers at the {place}" if i % 3 else f"{place.title()} (buskers session)"
            license = (LICENSES + ("cc-by-sa",))[(i - 6) % (len(LICENSES) + 1)]
            tags = ["busking", "street"] + rnd.sample(TAGS, 2)
            description = f"Street musicians recorded live by the {place}."
        else:
            title = (
                f"{place.title()} {rnd.choice(('Theme', 'Song', 'Loop', 'Sketch', 'Waltz', 'Dub'))}"
            )
            license = rnd.choice(LICENSES)
            tags = rnd.sample(TAGS, 3)
            description = f"A made-up track about a {place}."
        created = EPOCH + timedelta(days=rnd.randint(0, 900), seconds=rnd.randint(0, 86399))
        access = "playable"
        roll = rnd.random()
        if roll < 0.03:
            access = "blocked"
        elif roll < 0.08:
            access = "preview"
        out.append(
            {
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
        )
    return out


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
