"""Upload memory and throughput: `sc tracks upload` against `curl -F`, same file, same sandbox.

    python bench/upload.py [--mb 2048]

Starts a sandbox on 127.0.0.1, makes a sparse WAV of the given size (default 2 GB, past the
1 GB the API has confirmed, so sc's note shows too), uploads it once with sc and once with
curl, and prints sc's peak RSS and both throughputs, with their ratio. The sandbox counts the
body and keeps only its first MB, so neither upload is measured against the disk.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from sccli.sandbox.server import SandboxServer


def user_token(url: str) -> dict:
    import base64
    import hashlib
    import secrets

    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    redirect = "http://127.0.0.1:9/callback"
    r = requests.post(
        url + "/authorize",
        allow_redirects=False,
        data={
            "client_id": "sandbox",
            "redirect_uri": redirect,
            "response_type": "code",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": "b",
            "decision": "allow",
        },
    )
    code = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
    return requests.post(
        url + "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": "sandbox",
            "client_secret": "sandbox-secret",
            "code_verifier": verifier,
        },
    ).json()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=2048, help="file size in MB (default 2048)")
    mb = ap.parse_args().mb
    tmp = Path(tempfile.mkdtemp())
    server = SandboxServer(tmp / "sandbox").start()
    requests.post(server.url + "/_sandbox/config", json={"keep_upload_bytes": 2**20})
    tok = user_token(server.url)
    token_file = tmp / "token.json"
    token_file.write_text(json.dumps(tok))
    audio = tmp / "bench.wav"
    with open(audio, "wb") as f:
        f.write(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(28))
        f.truncate(mb * 2**20)
    env = {
        **os.environ,
        "SC_API_URL": server.url,
        "SC_AUTH_URL": server.url,
        "SC_TOKEN_FILE": str(token_file),
        "SC_CLIENT_ID": "sandbox",
        "SC_CLIENT_SECRET": "sandbox-secret",
        "SC_CONFIG_DIR": str(tmp / "cfg"),
    }
    beside = Path(sys.executable).with_name("sc")
    sc = [str(beside)] if beside.exists() else [sys.executable, "-m", "sccli"]
    t = time.perf_counter()
    p = subprocess.run(
        [*sc, "tracks", "upload", str(audio), "--title", "bench-sc", "--json"],
        env=env,
        capture_output=True,
    )
    sc_secs = time.perf_counter() - t
    assert p.returncode == 0, p.stderr.decode()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    curl = shutil.which("curl")
    curl_secs = None
    if curl:
        t = time.perf_counter()
        subprocess.run(
            [
                curl,
                "-sf",
                "-o",
                "/dev/null",
                "-H",
                f"Authorization: OAuth {tok['access_token']}",
                "-F",
                "track[title]=bench-curl",
                "-F",
                f"track[asset_data]=@{audio}",
                server.url + "/tracks",
            ],
            check=True,
        )
        curl_secs = time.perf_counter() - t
    server.stop()
    print(f"file size            {mb} MB")
    print(f"sc peak RSS          {peak_mb:.1f} MB  (budget: 60 MB, flat in file size)")
    print(f"sc throughput        {mb / sc_secs:.0f} MB/s  ({sc_secs:.2f} s)")
    if curl_secs:
        print(f"curl -F throughput   {mb / curl_secs:.0f} MB/s  ({curl_secs:.2f} s)")
        print(f"sc time / curl time  {sc_secs / curl_secs:.2f}x")
        print(f"sc / curl throughput {curl_secs / sc_secs:.2f}x  (budget: at least 0.9x)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
