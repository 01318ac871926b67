"""Unit tests of the core's pure pieces: parsing, redaction, error mapping, media sniffing."""

import json
import time

import pytest

from sccli.core import http_errors, media, redact, refs, timefmt, upload
from sccli.core.errors import AuthError, NotFound, RateLimited, ServerError, UsageError
from sccli.core.tokens import TokenRecord, parse_stored


@pytest.mark.parametrize(
    "text,ms",
    [
        ("90", 90000),
        ("90s", 90000),
        ("1:30", 90000),
        ("1:02:03", 3723000),
        ("83000ms", 83000),
        ("2m", 120000),
        ("1:23.5", 83500),
    ],
)
def test_parse_duration(text, ms):
    assert timefmt.parse_duration_ms(text) == ms


@pytest.mark.parametrize("bad", ["", "abc", "1:60", "-5", "1:2:3:4"])
def test_parse_duration_rejects(bad):
    with pytest.raises(UsageError):
        timefmt.parse_duration_ms(bad)


def test_format_ms_and_dates():
    assert timefmt.format_ms(83000) == "1:23"
    assert timefmt.format_ms("3723000") == "1:02:03"
    assert timefmt.format_ms(None) == ""
    assert timefmt.parse_api_date("2024-05-01") == "2024-05-01 00:00:00"
    assert timefmt.parse_api_date("2024-05-01", end=True) == "2024-05-01 23:59:59"
    assert timefmt.parse_api_date("2024-05-01T10:11:12Z") == "2024-05-01 10:11:12"
    with pytest.raises(UsageError):
        timefmt.parse_api_date("May 1")


def test_parse_ref_forms():
    assert refs.parse_ref("123").urn == "soundcloud:tracks:123"
    assert refs.parse_ref("123", ("user",)).urn == "soundcloud:users:123"
    assert (
        refs.parse_ref("soundcloud:playlists:9", ("track", "playlist")).urn
        == "soundcloud:playlists:9"
    )
    assert refs.parse_ref("https://soundcloud.com/a/b").url == "https://soundcloud.com/a/b"
    assert refs.parse_ref("soundcloud.com/a").url == "https://soundcloud.com/a"
    assert refs.parse_ref("https://on.soundcloud.com/xyz").url
    for bad in (
        "soundcloud:users:1",
        "https://soundcloud.com/",
        "https://evil.com/soundcloud.com/a",
        "1.5",
    ):
        with pytest.raises(UsageError):
            refs.parse_ref(bad, ("track",))


def test_redaction_everywhere():
    assert redact.redact_url("https://x/cb?code=abc&state=s") == "https://x/cb?code=***&state=s"
    assert redact.redact_headers({"Authorization": "OAuth tok"}) == {"Authorization": "OAuth ***"}
    form = redact.redact_body(
        b"grant_type=refresh_token&refresh_token=r1&client_secret=s",
        "application/x-www-form-urlencoded",
    )
    assert "r1" not in form and "refresh_token=***" in form and "client_secret=***" in form
    body = redact.redact_body('{"access_token": "a", "nested": {"code_verifier": "v"}, "ok": 1}')
    assert '"a"' not in body and '"v"' not in body and '"ok": 1' in body
    scrub = redact.Scrubber()
    scrub.add("supersecretvalue")
    assert scrub("x supersecretvalue y") == "x *** y"
    assert "abcdefgh" not in redact.scrub_auth_words("header was Bearer abcdefghij")


def test_error_mapping():
    e = http_errors.error_for_response(
        404, {}, '{"code":404,"message":"gone"}', method="GET", what="/x"
    )
    assert isinstance(e, NotFound) and "gone" in e.message
    e = http_errors.error_for_response(401, {}, "", method="GET", what="/me")
    assert isinstance(e, AuthError) and e.exit_code == 4
    e = http_errors.error_for_response(
        502,
        {"Content-Type": "text/html"},
        "<html><title>502 Bad Gateway</title>",
        method="GET",
        what="/x",
    )
    assert isinstance(e, ServerError) and "HTML" in e.message and "<" not in e.message
    e = http_errors.error_for_response(
        422, {}, '{"errors":[{"error_message":"bad title"}]}', method="POST", what="/tracks"
    )
    assert "bad title" in e.message and e.exit_code == 1
    reset = time.strftime("%Y/%m/%d %H:%M:%S +0000", time.gmtime(time.time() + 7200))
    body = json.dumps(
        {"errors": [{"meta": {"rate_limit": {"name": "plays"}, "reset_time": reset}}]}
    )
    e = http_errors.error_for_response(429, {}, body, method="GET", what="/x")
    assert isinstance(e, RateLimited) and e.exit_code == 5 and "in 1h" in e.hint
    assert http_errors.retry_at({"Retry-After": "3"}, None, now=100) == 103


def test_media_sniffing():
    assert media.sniff_audio(b"RIFF\0\0\0\0WAVEfmt ") == "wav"
    assert media.sniff_audio(b"fLaC\0\0\0") == "flac"
    assert media.sniff_audio(b"OggS\0") == "ogg"
    assert media.sniff_audio(b"FORM\0\0\0\0AIFF") == "aiff"
    assert media.sniff_audio(b"ID3\x04\0") == "mp3"
    assert media.sniff_audio(b"\xff\xfb\x90\x00") == "mp3"
    assert media.sniff_audio(b"\xff\xfd\x90\x00") == "mp2"
    assert media.sniff_audio(b"\xff\xf1\x50\x80") == "aac"
    assert media.sniff_audio(b"#!AMR\n") == "amr"
    assert media.sniff_audio(b"\x89PNG\r\n\x1a\n") is None
    assert media.sniff_audio(b"hello world") is None
    assert media.sniff_image(b"\xff\xd8\xff\xe0") == "jpeg"


def test_tag_list_quotes_multiword_tags():
    assert upload.tag_list(["live", "field recording", ' "x" ']) == 'live "field recording" x'
    assert upload.parse_tag_list('live "field recording"') == ["live", "field recording"]


def test_token_record_parsing_and_expiry():
    rec = parse_stored('{"access_token": "a", "refresh_token": "r", "expires_in": 3599}')
    assert rec.refresh_token == "r" and not rec.expiring()
    assert rec.expiring(now=rec.expires_at - 59)  # refreshed 60 s early
    assert not rec.expiring(now=rec.expires_at - 61)
    short = TokenRecord("a", expires_in=5, expires_at=time.time() + 5)
    assert not short.expiring()  # the margin scales down for short lifetimes
    assert parse_stored("bare-token").access_token == "bare-token"
    with pytest.raises(ValueError):
        parse_stored("two words")


def test_record_behaves_as_a_frozen_dataclass():
    """core/record's classes: a frozen dataclass's constructor, equality, hash, repr, replace,
    asdict and FrozenInstanceError, with no generated code."""
    import dataclasses
    from dataclasses import field

    from sccli.core.record import record

    @record
    class A:
        x: int
        y: list = field(default_factory=list)
        z: str = "z"

    a = A(1)
    assert a == A(1, [], "z") and a != A(2) and a != (1, [], "z")
    assert repr(a).endswith("A(x=1, y=[], z='z')")  # the qualname, as dataclass's
    assert dataclasses.replace(a, z="q") == A(1, z="q")
    assert dataclasses.asdict(a) == {"x": 1, "y": [], "z": "z"}
    assert A(1).y is not A(1).y  # a fresh default each time
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.x  # type: ignore[misc]
    for bad in ((), (1,), (1, [], "z", 4)):
        kwargs = {"x": 2} if bad == (1,) else {}
        with pytest.raises(TypeError):
            A(*bad, **kwargs)  # type: ignore[misc]
    with pytest.raises(TypeError):
        A(1, q=2)  # type: ignore[call-arg]

    @record
    class B:
        p: int = 0

    assert hash(B()) == hash(B(0)) and {B(): 1}[B(0)] == 1


def test_record_subclasses_and_refuses_what_it_does_not_do():
    """A record may extend a record (as a frozen dataclass may); a field option or a method
    of its own that a record would silently ignore is refused when the class is defined."""
    import dataclasses
    from dataclasses import field

    from sccli.core.record import record

    @record
    class Base:
        x: int

    @record
    class Sub(Base):
        y: int = 2

    assert Sub(1) == Sub(1, 2) and repr(Sub(1)).endswith("Sub(x=1, y=2)")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Sub(1).x = 3  # type: ignore[misc]
    for option in ("field(default=0, repr=False)", "field(default=0, compare=False)"):
        with pytest.raises(TypeError, match="a default only"):
            exec(f"@record\nclass F:\n    a: int = {option}\n", {"record": record, "field": field})
    with pytest.raises(TypeError, match="makes its own"):

        @record
        class Own:
            a: int

            def __repr__(self) -> str:
                return "own"


def test_a_password_in_a_url_is_never_shown():
    """`--api-url http://user:pw@host`: the debug log masks the password, and a connection
    error names only the host and port."""
    from sccli.core.redact import redact_url

    assert redact_url("http://user:pw@127.0.0.1:9/x?a=1") == "http://user:***@127.0.0.1:9/x?a=1"
    assert redact_url("http://h/x?") == "http://h/x?"  # nothing to mask: as given


def test_a_connection_error_names_the_host_not_its_credentials(tmp_path):
    from sccli.core.client import Client
    from sccli.core.config import Settings
    from sccli.core.errors import NetworkError

    settings = Settings(api_url="http://user:pw@127.0.0.1:9", access_token="x" * 20,
                        config_dir=tmp_path, data_dir=tmp_path)  # fmt: skip
    with pytest.raises(NetworkError) as e:
        Client(settings).get("/tracks/1")
    assert "pw" not in e.value.message and "127.0.0.1:9" in e.value.message
