"""Issue 14, release manifests (items 2-5): dates before 1000, one file under two spellings,
values nested past Python's stack, and `release init` output that `plan` always reads."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from audio import make_wav
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz import FUZZ
from test_release import edit, make_release

from sccli.core.release.manifest import ManifestError, load_manifest
from sccli.core.release.scaffold import init_release


def problems(manifest: Path) -> list[str]:
    with pytest.raises(ManifestError) as err:
        load_manifest(manifest)
    assert err.value.exit_code == 2
    return err.value.problems


# -- item 2: years before 1000 ------------------------------------------------------------------
@pytest.mark.parametrize(
    "value", ['"0999-12-31"', "0999-12-31", '"0001-01-01"', "0500-06-01T10:00:00"]
)
def test_i14_02_dates_before_year_1000_are_refused(tmp_path, value):
    manifest = make_release(tmp_path / "rel", 2)
    edit(manifest, 'release_date = "2026-12-01"', f"release_date = {value}")
    edit(
        manifest,
        'file = "02-night_ferry.wav"',
        f'file = "02-night_ferry.wav"\nrelease_date = {value}',
    )
    found = problems(manifest)
    keys = sorted(p.split(":")[0] for p in found)
    assert keys == ["release.release_date", "track[2].release_date"], found
    assert all("1000 or later" in p for p in found)


def test_i14_02_plan_refuses_before_any_request(user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 1)
    edit(manifest, 'release_date = "2026-12-01"', 'release_date = "0999-12-31"')
    before = sandbox.stats()["requests_total"]
    r = user_sc("release", "plan", str(manifest))
    assert r.code == 2 and "release.release_date" in r.stderr, r
    assert sandbox.stats()["requests_total"] == before


# -- item 3: one file, two spellings ------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["./01-harbour.wav", "sub/../01-harbour.wav", "ABS", "LINK"])
def test_i14_03_one_file_under_two_spellings(tmp_path, spelling):
    folder = tmp_path / "rel"
    manifest = make_release(folder, 1)
    (folder / "sub").mkdir()
    if spelling == "ABS":
        spelling = str(folder / "01-harbour.wav")
    if spelling == "LINK":
        (folder / "link.wav").symlink_to("01-harbour.wav")
        spelling = "link.wav"
    manifest.write_text(
        manifest.read_text() + f'\n[[track]]\nfile = "{spelling}"\ntitle = "Other"\n'
    )
    assert problems(manifest) == ["track[2].file: same file as track[1]"]


@pytest.mark.parametrize("outside", ["../x.wav", "/ABS/x.wav", "sub/../../x.wav"])
def test_i14_03_files_outside_the_folder_are_refused(tmp_path, outside):
    folder = tmp_path / "rel"
    manifest = make_release(folder, 1)
    make_wav(tmp_path / "x.wav", seconds=0.2, rate=8000)
    value = outside.replace("/ABS", str(tmp_path))
    manifest.write_text(manifest.read_text() + f'\n[[track]]\nfile = "{value}"\ntitle = "Other"\n')
    assert problems(manifest) == [f"track[2].file: {value!r} is outside the manifest's folder"]


# -- item 4: values nested past Python's stack --------------------------------------------------
@pytest.mark.parametrize("where", ["release.title", "track.title", "release.release_date"])
def test_i14_04_a_deeply_nested_value_is_exit_2(user_sc, tmp_path, where):
    manifest = make_release(tmp_path / "rel", 1)
    deep = "[" * 3000 + "]" * 3000
    if where == "release.title":
        edit(manifest, 'title = "Night Ferry"', f"title = {deep}")
    elif where == "track.title":
        edit(manifest, 'title = "Harbour"', f"title = {deep}")
    else:
        edit(manifest, 'release_date = "2026-12-01"', f"release_date = {deep}")
    key = where.replace("track", "track[1]")
    assert problems(manifest) == [f"{key}: nested too deeply to read"]
    r = user_sc("release", "plan", str(manifest))
    assert r.code == 2, r
    assert (
        r.stderr.startswith("error: ")
        and "Recursion" not in r.stderr
        and "Traceback" not in r.stderr
    )


# -- item 5: whatever init writes, plan reads ---------------------------------------------------
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")
FILE_NAMES = st.text(NAME_CHARS, min_size=1, max_size=40).filter(
    lambda n: n not in (".", "..") and len((n + ".wav").encode()) < 200
)
TITLES = st.one_of(
    st.sampled_from(
        ["a\x7fb", "\x7f", 'q"uote\\', "tab\there", "nl\nx", "\x1b[31m", "\u2028", "é"]
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
)


@pytest.fixture(scope="module")
def one_wav(tmp_path_factory) -> Path:
    return make_wav(tmp_path_factory.mktemp("i14-wav") / "a.wav", seconds=0.1, rate=8000)


def test_i14_05_init_round_trips_names_and_titles(one_wav):
    @settings(FUZZ, max_examples=int(os.environ.get("SC_FUZZ_EXAMPLES") or 40))
    @given(st.lists(FILE_NAMES, min_size=1, max_size=3, unique_by=str.casefold), TITLES)
    def run(names, title):
        with tempfile.TemporaryDirectory() as d:
            folder = Path(d) / "rel"
            folder.mkdir()
            for n in names:
                shutil.copy(one_wav, folder / f"{n}.wav")
            manifest, found = init_release(folder, title=title)
            m = load_manifest(manifest)  # never "not valid TOML"
            assert m.release.title == title
            assert sorted(t.file.name for t in m.tracks) == sorted(f"{n}.wav" for n in names)
            assert [t.title for t in m.tracks] == [f.title for f in found]

    run()


def test_i14_05_a_name_that_is_not_utf8_is_one_usage_error(tmp_path, one_wav):
    from sccli.core.errors import UsageError

    folder = tmp_path / "rel"
    folder.mkdir()
    shutil.copy(one_wav, os.path.join(os.fsencode(folder), b"caf\xe9.wav"))
    with pytest.raises(UsageError) as err:
        init_release(folder)
    assert "not valid UTF-8" in err.value.message
