"""Download throughput: `sc tracks download` against `curl -o`, same track, same sandbox.

    python bench/download.py [--mb 2048] [--runs 15] [--dir DIR]

Starts a sandbox on 127.0.0.1 in this process and uploads a small WAV as its user; the file
the sandbox stored for it is then made --mb MB long (sparse: silence that takes no disk) and
read once, so that it is served from the page cache. sc (`sc tracks download URN -o FILE`)
and curl (`curl -o FILE` of the track's download URL, with the same token) then fetch it in
turn, --runs times each, each into a new file in --dir (default /dev/shm where there is
one, so that neither is measured against the disk), removed after the run; a track of 1 KB
likewise. Prints what bench/upload.py prints: the medians (each command whole, start-up
included), the ratio of the throughputs, sc's peak RSS, each command's fixed cost and the
ratio past it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload import alternate, report, sc_command, sc_env, user_token  # noqa: E402

from sccli.sandbox.server import SandboxServer  # noqa: E402


def track(server: SandboxServer, tok: dict, mb: int) -> str:
    """A track of sandbox-user's whose original is `mb` MB (0: 1 KB); its URN."""
    wav = b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(1000)
    r = requests.post(
        server.url + "/tracks",
        headers={"Authorization": f"OAuth {tok['access_token']}"},
        data={"track[title]": "bench download"},
        files={"track[asset_data]": ("bench.wav", wav, "audio/wav")},
    )
    r.raise_for_status()
    track = r.json()
    stored = Path(server.app.store.track(track["id"])["_file"])
    with open(stored, "r+b") as f:
        f.truncate(mb * 2**20 or 1024)
    with open(stored, "rb") as f:  # into the page cache, for every run alike
        while f.read(2**20):
            pass
    return str(track["urn"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=2048, help="file size in MB (default 2048)")
    ap.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    shm = Path("/dev/shm")
    ap.add_argument(
        "--dir",
        type=Path,
        default=shm if shm.is_dir() else None,
        help="where the downloads are written (default /dev/shm, else a temporary folder)",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    out = Path(tempfile.mkdtemp(dir=args.dir, prefix="sc-bench-"))
    server = SandboxServer(tmp / "sandbox").start()
    try:
        tok = user_token(server.url)
        env = sc_env(server, tmp, tok)
        urn = track(server, tok, args.mb)
        tiny = track(server, tok, 0)

        def fresh(name: str) -> str:
            for old in out.iterdir():  # the previous run's file: no run writes over another's
                old.unlink()
            return str(out / name)

        def sc(urn: str) -> Callable[[int], list[str]]:
            return lambda i: [*sc_command(), "tracks", "download", urn, "-o", fresh(f"sc{i}.wav")]

        def curl(urn: str) -> Callable[[int], list[str]]:
            return lambda i: [
                curl_exe, "-sfL", "-o", fresh(f"curl{i}.wav"),
                "-H", f"Authorization: OAuth {tok['access_token']}",
                f"{server.url}/tracks/{urn}/download",
            ]  # fmt: skip

        commands = {"sc": sc(urn)}
        curl_exe = shutil.which("curl")
        if curl_exe:
            commands |= {"curl": curl(urn), "sc tiny": sc(tiny), "curl tiny": curl(tiny)}
        results = alternate(args.runs, commands, env)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    print(f"written to           {args.dir or tempfile.gettempdir()}")
    report(args.mb, args.runs, results)


if __name__ == "__main__":
    main()
