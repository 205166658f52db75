"""`make dist` (scripts/dist.sh): the release a site owner installs without Rust or Node (issue 13).

The plugin zip holds what WordPress loads (with the built JS/CSS and CHANGELOG.md) and no tests; the
extension is named for the PHP it loads into and does load there; the checksums verify; and the name is
the one the plugin's "extension not loaded" notice asks for.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def php(code: str, *args: str) -> str:
    return subprocess.run(["php", "-n", "-r", code, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run(["scripts/dist.sh"], cwd=ROOT, env={"DIST_DIR": str(out), "PATH": "/usr/local/bin:/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    files = [Path(line) for line in run.stdout.split()]
    return {"zip": files[0], "so": files[1], "sums": files[2], "out": out}


def plugin_version() -> str:
    return re.search(r"^\s*const VERSION\s*=\s*'([^']+)'", (ROOT / "php-shim/workos.php").read_text(), re.M).group(1)


def test_the_extension_is_named_for_this_php_and_loads_into_it(dist):
    version = plugin_version()
    minor, zts, machine = php('echo PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION, " ", PHP_ZTS ? "zts" : "nts", " ", php_uname("m");').split()
    assert dist["so"].name == f"workos-{version}-php{minor}-{zts}-{machine}.so"
    loaded = subprocess.run(
        ["php", "-n", "-d", f"extension={dist['so']}", "-r", 'echo phpversion("workos");'],
        check=True, capture_output=True, text=True).stdout
    assert loaded == version


def test_the_plugin_zip_holds_the_plugin_and_no_tests(dist):
    with zipfile.ZipFile(dist["zip"]) as z:
        names = z.namelist()
        assert all(n.startswith("workos/") for n in names)
        for needed in ("workos/workos.php", "workos/uninstall.php", "workos/CHANGELOG.md", "workos/src/SignIn/SignIn.php",
                       "workos/js/login/build/index.js", "workos/js/login/build/index.asset.php",
                       "workos/blocks/login-button/block.json"):
            assert needed in names, needed
        assert not [n for n in names if "/tests/" in n or "node_modules" in n or n.endswith(".sources.sha256")]
        header = z.read("workos/workos.php").decode()
        assert f"Version:           {plugin_version()}" in header
        # What was packed is what is in the tree.
        assert z.read("workos/src/SignIn/SignIn.php") == (ROOT / "php-shim/src/SignIn/SignIn.php").read_bytes()


def test_the_checksums_verify(dist):
    lines = dist["sums"].read_text().splitlines()
    assert len(lines) == 2
    for line in lines:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((dist["out"] / name).read_bytes()).hexdigest() == digest
    assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist["out"], capture_output=True).returncode == 0


def test_the_notice_asks_for_the_file_dist_makes(dist):
    name = php('define("ABSPATH", "/"); require $argv[1]; echo WorkOS_WP\\Admin\\ExtensionInstall::build_name($argv[2]);',
               str(ROOT / "php-shim/src/Admin/ExtensionInstall.php"), plugin_version())
    assert name == dist["so"].name


def test_mismatched_versions_are_refused(tmp_path):
    """A plugin and an extension of different releases must never be packaged together."""
    tree = tmp_path / "tree"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{ROOT}", str(tree)], check=True)
    (tree / "scripts/dist.sh").write_bytes((ROOT / "scripts/dist.sh").read_bytes())
    cargo = (tree / "Cargo.toml").read_text()
    (tree / "Cargo.toml").write_text(re.sub(r'^version = "[^"]+"', 'version = "9.9.9"', cargo, count=1, flags=re.M))
    run = subprocess.run(["bash", "scripts/dist.sh"], cwd=tree, env={"DIST_DIR": str(tmp_path / "out"), "PATH": "/usr/local/bin:/usr/bin:/bin"},
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "Cargo.toml version 9.9.9" in run.stderr
