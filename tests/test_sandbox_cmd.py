"""`sc sandbox serve` and `sc sandbox reset` as a user runs them."""

import signal
import subprocess

import requests
from conftest import SC_CMD, base_env, default_sigint
from test_auth import free_port


def test_serve_answers_prints_nothing_secret_and_stops_on_ctrl_c(home, tmp_path):
    port = free_port()
    data = tmp_path / "state"
    exact = f"http://127.0.0.1:{port + 1}/callback"
    proc = subprocess.Popen(
        SC_CMD
        + ["sandbox", "serve", "--port", str(port), "--data", str(data), "--redirect-uri", exact],
        env=base_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    try:
        line = proc.stderr.readline()
        assert f"listening on http://127.0.0.1:{port}" in line, line
        url = f"http://127.0.0.1:{port}"
        tok = requests.post(
            url + "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox", "sandbox-secret"),
            timeout=10,
        ).json()["access_token"]
        r = requests.get(
            url + "/tracks",
            params={"q": "buskers"},
            headers={"Authorization": f"OAuth {tok}"},
            timeout=10,
        )
        assert r.status_code == 200 and len(r.json()) == 50
        # --redirect-uri makes it demand that one exactly, as SoundCloud does
        base = {
            "client_id": "sandbox",
            "response_type": "code",
            "code_challenge": "A" * 43,
            "code_challenge_method": "S256",
        }
        assert (
            requests.get(
                url + "/authorize", params={**base, "redirect_uri": exact}, timeout=10
            ).status_code
            == 200
        )
        other = f"http://127.0.0.1:{port + 2}/callback"
        assert (
            requests.get(
                url + "/authorize", params={**base, "redirect_uri": other}, timeout=10
            ).status_code
            == 400
        )
        assert (data / "sandbox.db").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "sandbox-secret" not in out + err and tok not in out + err


def test_reset_restores_the_seed(home, tmp_path):
    data = tmp_path / "state"
    env = {**base_env(home)}
    port = free_port()
    proc = subprocess.Popen(
        SC_CMD + ["sandbox", "serve", "--port", str(port), "--data", str(data)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    proc.stderr.readline()
    url = f"http://127.0.0.1:{port}"
    requests.post(url + "/_sandbox/config", json={"follow_limit": 1}, timeout=10)
    proc.send_signal(signal.SIGINT)
    proc.wait(30)
    r = subprocess.run(
        SC_CMD + ["sandbox", "reset", "--data", str(data)], env=env, capture_output=True, text=True
    )
    assert r.returncode == 0 and "reset" in r.stderr
    assert not data.exists()
    not_sandbox = tmp_path / "precious"
    not_sandbox.mkdir()
    (not_sandbox / "file.txt").write_text("keep me")
    r = subprocess.run(
        SC_CMD + ["sandbox", "reset", "--data", str(not_sandbox)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and (not_sandbox / "file.txt").exists()


def test_controls_take_the_readme_curl(sandbox):
    # README: curl -H 'Content-Type: application/json' -d '{...}'; without the header: 415.
    body = '{"path": "/tracks/soundcloud:tracks:300010", "status": 503, "times": 2}'
    for ctype, status in (("application/x-www-form-urlencoded", 415), ("application/json", 200)):
        r = requests.post(
            sandbox.url + "/_sandbox/faults", data=body, headers={"Content-Type": ctype}, timeout=10
        )
        assert r.status_code == status, r.text
    assert r.json()["faults"][0]["times"] == 2
