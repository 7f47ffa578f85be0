"""A cache folder shipped with (or planted in) a catalogue can neither run code nor change findings.

The cache holds data only (JSON read back by type-checking decoders, never pickle) and every
cache file is signed with a key outside the catalogue (``$XDG_CACHE_HOME/powerlist/cache.key``);
whatever does not verify is ignored and rebuilt (issue 9, item 1).
"""

from __future__ import annotations

import os
import pickle
import stat
import struct
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from casefiles import GOOD_POWER

from powerlist.api import check, settings_for
from powerlist.catalog import cache as cache_mod
from powerlist.catalog.cache import CACHE_DIRNAME, INDEX_NAME, PARSED_NAME, cache_key, sign
from powerlist.catalog.parallel import FileResult, from_blob, parse_one, to_blob
from powerlist.catalog.parse import Limits
from powerlist.report import RenderOptions
from powerlist.report.json import result_to_json

AS_OF = date(2026, 1, 1)
MAC = 32  # bytes of signature before each cache file's payload


class _Exploit:
    """Unpickling this creates ``marker``: what a hostile ``__reduce__`` (os.system …) would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def _power(i: int) -> str:
    text = GOOD_POWER.replace("SL-XK-001", f"SL-XK-{i:03d}")
    return text.replace("name: 取水许可", f"name: 取水许可{i}")


@pytest.fixture
def catalog(make_catalog) -> Path:  # type: ignore[no-untyped-def]
    files: dict[str, str | None] = {f"powers/water/SL-XK-{i:03d}.yaml": _power(i) for i in range(1, 8)}
    files["powers/water/nobasis.yaml"] = "id: SL-XK-050\nname: 无依据\ncategory: 行政许可\nbody: city-water\n"
    files["powers/water/broken.yaml"] = "id: [x\n"
    return make_catalog(files)


def _run(root: Path, **kw: Any) -> tuple[dict[str, Any], bool]:
    checked = check(root, settings_for(root), as_of=AS_OF, **kw)
    return result_to_json(checked.result, RenderOptions(root=root)), checked.from_cache


def _fresh(root: Path) -> dict[str, Any]:
    return _run(root)[0]


def _payload(path: Path) -> bytes:
    return path.read_bytes()[MAC:]


def _edit_other(root: Path, n: int, rel: str = "powers/water/SL-XK-007.yaml") -> None:
    """A new content for one file: the whole result no longer applies, so the next run loads
    every other file from the parse layer (their stat signatures being trusted)."""
    with open(root / rel, "a", encoding="utf-8") as fh:
        fh.write(f"# edit {n}\n")


def _warm(root: Path, folder: Path) -> None:
    """Old files, two runs: every stat signature in the cache is trusted."""
    _age(root)
    _run(root, cache_dir=folder)
    _run(root, cache_dir=folder)


def _age(root: Path) -> None:
    """Old mtimes: the cache trusts stat signatures, so it would serve a whole result if it could."""
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            st = os.stat(p)
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - 3600 * 10**9))


# ---------------------------------------------------------------------------- code execution


def test_shipped_pickles_never_run(catalog: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Exploit(marker))
    pickle.loads(payload)  # the payload is live: loading it creates the marker
    assert marker.exists()
    marker.unlink()

    shipped = catalog / CACHE_DIRNAME
    shipped.mkdir()
    for name in ("index.pickle", "parsed.pickle", INDEX_NAME, PARSED_NAME):
        (shipped / name).write_bytes(payload)
    # also behind a signature-sized prefix, as if the pickle were the payload of a signed file
    (shipped / INDEX_NAME).write_bytes(b"\0" * MAC + payload)

    expected = run_cli("check", catalog, "--format", "json", "--no-cache")
    cached = run_cli("check", catalog, "--format", "json")
    assert not marker.exists()
    assert cached.exit_code == expected.exit_code == 1
    assert orjson.loads(cached.stdout)["diagnostics"] == orjson.loads(expected.stdout)["diagnostics"]
    again, _ = _run(catalog, cache_dir=shipped)  # the library entry point too, and a second time
    assert not marker.exists()
    assert again == _fresh(catalog)


def test_cache_files_hold_json_not_pickle(catalog: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _run(catalog, cache_dir=folder)
    index = orjson.loads(_payload(folder / INDEX_NAME))
    assert set(index) == {"fp", "sigs", "key", "result"}
    parsed = _payload(folder / PARSED_NAME)
    (hlen,) = struct.unpack(">I", parsed[:4])
    head = orjson.loads(parsed[4:4 + hlen])
    assert len(head["index"]) == 7 + 1 + 1 + 3  # every parsed file: powers and the registries
    assert b"\x80\x05" not in parsed[:4 + hlen]  # no pickle opcode stream
    assert stat.S_IMODE((folder / INDEX_NAME).stat().st_mode) == 0o600


# ---------------------------------------------------------------------------- forged caches


def _forge_zero_findings(folder: Path, key: bytes) -> None:
    index = orjson.loads(_payload(folder / INDEX_NAME))
    assert index["result"]["diagnostics"]  # the real result has findings
    index["result"]["diagnostics"] = []
    (folder / INDEX_NAME).write_bytes(sign(key, b"index", orjson.dumps(index)))


def test_forged_index_with_a_wrong_signature_is_ignored(catalog: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _age(catalog)
    _run(catalog, cache_dir=folder)
    _run(catalog, cache_dir=folder)  # signatures now trusted: the next run would be served whole

    _forge_zero_findings(folder, os.urandom(32))  # another machine's (or the attacker's) key
    out, from_cache = _run(catalog, cache_dir=folder)
    assert not from_cache and out == _fresh(catalog) and out["diagnostics"]


def test_the_signature_is_what_stops_a_forgery(catalog: Path, tmp_path: Path) -> None:
    """Control for the test above: signed with this user's key, the same forgery is served. So
    only the key, kept outside the catalogue, makes a cache trusted."""
    folder = tmp_path / "cache"
    _age(catalog)
    _run(catalog, cache_dir=folder)
    _run(catalog, cache_dir=folder)
    key = cache_key()
    assert key is not None
    _forge_zero_findings(folder, key)
    out, from_cache = _run(catalog, cache_dir=folder)
    assert from_cache and out["diagnostics"] == []


def test_forged_parse_layer_is_ignored(catalog: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _warm(catalog, folder)
    # a parse claiming the power without basis has one (it would hide B001), signed with a wrong key
    rel = "powers/water/nobasis.yaml"
    good = to_blob(parse_one(str(catalog), "powers/water/SL-XK-001.yaml", Limits()))
    assert good is not None
    digest = parse_one(str(catalog), rel, Limits()).digest
    blobs = {digest: _with_data(good, {**orjson.loads(good)[2], "id": "SL-XK-050"})}
    for n, (key, trusted) in enumerate(((os.urandom(32), False), (cache_key(), True))):
        assert key is not None
        (folder / PARSED_NAME).write_bytes(sign(key, b"parsed", cache_mod._encode_parsed(blobs)))
        _edit_other(catalog, n)
        expected = _fresh(catalog)
        assert any(d["path"] == rel and d["code"] == "B001" for d in expected["diagnostics"])
        out, _ = _run(catalog, cache_dir=folder)
        # control: signed with this user's key the forgery would hide B001, so the key is what stops it
        assert (out == expected) is not trusted


def _with_data(blob: bytes, data: object) -> bytes:
    v = orjson.loads(blob)
    v[2] = data
    return orjson.dumps(v)


# ---------------------------------------------------------------------------- damaged caches


def _sig(payload: bytes, role: bytes = b"index") -> bytes:
    key = cache_key()
    assert key is not None
    return sign(key, role, payload)


def _index_variants(good: bytes) -> dict[str, bytes]:
    index = orjson.loads(good[MAC:])

    def with_(**changes: Any) -> bytes:
        return _sig(orjson.dumps({**index, **changes}))

    rel = next(iter(index["sigs"]))
    diag = index["result"]["diagnostics"][0]
    return {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "one byte flipped": good[:-5] + bytes([good[-5] ^ 1]) + good[-4:],
        "random": os.urandom(2000),
        "signed, not JSON": _sig(b"\x80\x05not json"),
        "signed, deep nesting": _sig(b"[" * 5000 + b"]" * 5000),
        "signed, a list": _sig(b"[1, 2, 3]"),
        "signed, sigs of strings": with_(sigs={rel: ["1", "2", "3", "4", "5", "6"]}),
        "signed, signature bool as size": with_(sigs={rel: [True, 1, 1, 1, "d", True]}),
        "signed, result a string": with_(result="all clear"),
        "signed, line as text": with_(result={**index["result"], "diagnostics": [[*diag[:3], "7", *diag[4:]]]}),
        "signed, unknown severity": with_(result={**index["result"], "diagnostics": [[diag[0], "info", *diag[2:]]]}),
        "signed, short diagnostic": with_(result={**index["result"], "diagnostics": [diag[:5]]}),
        "signed, extra result key": with_(result={**index["result"], "evil": 1}),
        "signed as parse layer": _sig(good[MAC:], b"parsed"),
    }


def test_damaged_index_is_rebuilt(catalog: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _age(catalog)
    _run(catalog, cache_dir=folder)
    _run(catalog, cache_dir=folder)
    good = (folder / INDEX_NAME).read_bytes()
    expected = _fresh(catalog)
    for name, raw in _index_variants(good).items():
        (folder / INDEX_NAME).write_bytes(raw)
        out, from_cache = _run(catalog, cache_dir=folder)
        assert (out, from_cache) == (expected, False), name
    # and the rebuilt cache serves again
    assert _run(catalog, cache_dir=folder) == (expected, True)


def _parsed_variants(good_blob: bytes, digest: str) -> dict[str, bytes]:
    v = orjson.loads(good_blob)

    def layer(blob: bytes) -> bytes:
        return _sig(cache_mod._encode_parsed({digest: blob}), b"parsed")

    def changed(i: int, value: object) -> bytes:
        return layer(orjson.dumps([*v[:i], value, *v[i + 1:]]))

    return {
        "not JSON": layer(b"\x80\x05garbage"),
        "positions not base64": changed(3, "!!!"),
        "positions of odd length": changed(3, "AAA="),
        "positions a list": changed(3, [1, 2]),
        "problem of wrong shape": changed(4, [["S001", "1", 1, "zh", "en", None]]),
        "problem key of floats": changed(4, [["S011", 1, 1, "zh", "en", [1.5]]]),
        "a dict": layer(b'{"a": 1}'),
        "header longer than file": _sig(struct.pack(">I", 10**6) + b"{}", b"parsed"),
        "length mismatch": _sig(cache_mod._encode_parsed({digest: good_blob})[:-3], b"parsed"),
    }


def test_damaged_parse_layer_is_rebuilt(catalog: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    rel = "powers/water/SL-XK-002.yaml"
    _warm(catalog, folder)
    fresh = parse_one(str(catalog), rel, Limits())
    good = to_blob(fresh)
    assert good is not None
    for n, (name, raw) in enumerate(_parsed_variants(good, fresh.digest).items()):
        (folder / PARSED_NAME).write_bytes(raw)
        _edit_other(catalog, n)
        out, from_cache = _run(catalog, cache_dir=folder)
        assert (out, from_cache) == (_fresh(catalog), False), name


# ---------------------------------------------------------------------------- the codec


@pytest.mark.parametrize("text", ["a: .inf\n", "a: .nan\n", "a: [-.inf]\n", "a: 123456789012345678901234567890\n"])
def test_data_json_cannot_hold_is_never_cached(text: str, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    r = parse_one(str(tmp_path), "x.yaml", Limits())
    assert to_blob(r) is None and r.cache_blob() is None


def test_codec_round_trip(catalog: Path) -> None:
    for rel in ("powers/water/SL-XK-001.yaml", "powers/water/broken.yaml", "laws.yaml"):
        r = parse_one(str(catalog), rel, Limits())
        blob = to_blob(r)
        assert blob is not None
        back: FileResult = from_blob(blob)
        assert (back.rel, back.digest, back.parsed.data) == (r.rel, r.digest, r.parsed.data)
        assert back.parsed.positions == r.parsed.positions and back.parsed.top == r.parsed.top
        assert back.parsed.problems == r.parsed.problems


def test_values_json_cannot_hold_give_the_same_findings(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    power = GOOD_POWER.replace("statutory: 20", "statutory: .inf").replace("promised: 10", "promised: .nan")
    assert ".inf" in power
    root = make_catalog({"powers/water/SL-XK-001.yaml": power, "powers/water/SL-XK-002.yaml": _power(2)})
    folder = tmp_path / "cache"
    _warm(root, folder)
    _edit_other(root, 1, "powers/water/SL-XK-002.yaml")  # the next run reads the parse layer
    out = _run(root, cache_dir=folder)[0]
    assert out == _fresh(root) and "got nan" in str(out["diagnostics"])


# ---------------------------------------------------------------------------- the key


def test_key_is_private_and_outside_the_catalogue(catalog: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    _run(catalog, cache_dir=tmp_path / "cache")
    key = xdg / "powerlist" / "cache.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    assert not [p for p in (xdg / "powerlist").iterdir() if p.name != "cache.key"]  # no temporary left
    assert cache_key() == key.read_bytes()


def test_a_key_others_can_read_is_not_trusted(catalog: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    folder = tmp_path / "cache"
    _age(catalog)
    _run(catalog, cache_dir=folder)
    _run(catalog, cache_dir=folder)
    assert _run(catalog, cache_dir=folder)[1]  # served whole while the key is private
    (xdg / "powerlist" / "cache.key").chmod(0o644)
    assert cache_key() is None
    out, from_cache = _run(catalog, cache_dir=folder)
    assert not from_cache and out == _fresh(catalog)


def test_no_writable_key_location_disables_the_cache(catalog: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "xdg"))  # cannot create a folder under a file
    folder = tmp_path / "cache"
    _age(catalog)
    for _ in range(3):
        out, from_cache = _run(catalog, cache_dir=folder)
        assert not from_cache and out == _fresh(catalog)
    assert not (folder / INDEX_NAME).exists()


def test_non_utf8_file_name_does_not_break_the_cache(catalog: Path, tmp_path: Path) -> None:
    bad = os.path.join(os.fsencode(catalog / "powers/water"), b"bad\xff\xfename.yaml")
    with open(bad, "wb") as fh:
        fh.write(_power(60).encode("utf-8"))
    folder = tmp_path / "cache"
    first, _ = _run(catalog, cache_dir=folder)
    assert _run(catalog, cache_dir=folder)[0] == first == _fresh(catalog)


def test_result_codec_keeps_every_field(catalog: Path) -> None:
    """A field added to Result without a codec entry would silently vanish from cached runs."""
    import dataclasses

    from powerlist.catalog.cache import decode_result, encode_result
    from powerlist.diagnostics import Diagnostic, Related, Result, Severity
    from powerlist.i18n import T

    result = check(catalog, settings_for(catalog), as_of=AS_OF).result
    d = Diagnostic("J001", Severity.WARNING, "p.yaml", 3, 4, "X-1", T("中", "en"), [Related("q.yaml", 9, None)],
                   waived=True, waiver_reason="批准")
    result = dataclasses.replace(result, waived=[d], baselined=[d], crashed=[("B001", "Traceback …")])
    encoded = encode_result(result)
    assert set(encoded) == {f.name for f in dataclasses.fields(Result)}
    back = decode_result(orjson.loads(orjson.dumps(encoded)))
    assert back == result


# ---------------------------------------------------------------------------- the findings layer


def _findings(folder: Path) -> dict[str, Any]:
    v = orjson.loads(_payload(folder / cache_mod.FINDINGS_NAME))
    assert set(v) == {"fp", "key", "files"}  # JSON, read back by a decoder that checks every field
    return v


def test_forged_findings_layer_is_ignored(catalog: Path, tmp_path: Path) -> None:
    """The per-entry findings held for a file, forged to say "none" for the power without basis:
    signed with another key it is ignored; with this user's key (the control) it would be served."""
    folder = tmp_path / "cache"
    _warm(catalog, folder)
    rel = "powers/water/nobasis.yaml"
    held = _findings(folder)
    assert "B001" in [d[0] for d in held["files"][rel][1]]
    held["files"][rel][1] = []
    for n, (key, trusted) in enumerate(((os.urandom(32), False), (cache_key(), True))):
        assert key is not None
        (folder / cache_mod.FINDINGS_NAME).write_bytes(sign(key, b"findings", orjson.dumps(held)))
        _edit_other(catalog, n)  # the whole result no longer applies: the findings layer is asked
        expected = _fresh(catalog)
        out, from_cache = _run(catalog, cache_dir=folder)
        assert not from_cache
        assert (out == expected) is not trusted


def _findings_variants(good: dict[str, Any]) -> dict[str, bytes]:
    rel = "powers/water/nobasis.yaml"

    def with_entry(entry: object) -> bytes:
        return orjson.dumps({**good, "files": {**good["files"], rel: entry}})

    diag = good["files"][rel][1][0]
    return {
        "not json": _sig(b"\x80\x05garbage", b"findings"),
        "an index signed as findings": _sig(orjson.dumps({"fp": good["fp"], "sigs": {}, "key": "", "result": None}),
                                            b"findings"),
        "wrong code fingerprint": _sig(orjson.dumps({**good, "fp": "x"}), b"findings"),
        "files not a mapping": _sig(orjson.dumps({**good, "files": []}), b"findings"),
        "entry of three": _sig(with_entry([good["files"][rel][0], [], 1]), b"findings"),
        "digest not text": _sig(with_entry([1, []]), b"findings"),
        "diagnostic too short": _sig(with_entry([good["files"][rel][0], [diag[:5]]]), b"findings"),
        "line not a number": _sig(with_entry([good["files"][rel][0], [[*diag[:3], "2", *diag[4:]]]]), b"findings"),
        "signed for the parse layer": _sig(orjson.dumps(good), b"parsed"),
    }


def test_damaged_findings_layer_is_rebuilt(catalog: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _warm(catalog, folder)
    good = _findings(folder)
    for n, (what, raw) in enumerate(_findings_variants(good).items()):
        (folder / cache_mod.FINDINGS_NAME).write_bytes(raw)
        _edit_other(catalog, n)
        out, _ = _run(catalog, cache_dir=folder)
        assert out == _fresh(catalog), what
