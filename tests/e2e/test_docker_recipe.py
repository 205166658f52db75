"""The container recipe (docker/: Dockerfile, compose.yaml, nginx.conf) for the official WordPress php-fpm image
(issue 13, "Installing on a real site").

Docker cannot run where this project is built and tested, so the image is never built here. What can be checked
is checked: the recipe stays in step with the scripts it was written from (the build packages of scripts/deps.sh,
the cargo command of `make build`, every Cargo workspace member, every JS app scripts/js-build.sh builds, the
files its build context lets through), nginx.conf passes nginx's own syntax check, the wp-config snippet compose
passes to the image defines the plugin's constants it should (run in PHP), and the entrypoint is valid sh."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"


def dockerfile() -> str:
    return (DOCKER / "Dockerfile").read_text()


def test_the_extension_is_built_as_make_build_builds_it_with_the_build_packages_of_deps_sh():
    text = dockerfile()
    assert "cargo build --release --locked -p workos-php" in text
    deps = (ROOT / "scripts" / "deps.sh").read_text()
    build_lines = [line for line in deps.splitlines() if line.strip().startswith("#") and "build" in line]
    assert build_lines, "scripts/deps.sh no longer marks its build packages"
    block = re.search(r"APT_PACKAGES=\((.*?)\n\)", deps, re.S).group(1)
    wanted = set()
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("# build"):
            wanted.update(lines[i + 1].split())
    # Debian's PHP packages are replaced by the image's own PHP (php-config, headers).
    wanted = {p for p in wanted if not p.startswith("php")}
    assert wanted == {"clang", "libclang-dev", "libssl-dev", "pkg-config"}, wanted
    apt = re.search(r"apt-get install[^\n]*", text).group(0)
    assert wanted <= set(apt.split()), (wanted, apt)


def test_every_workspace_member_and_build_input_is_in_the_context():
    """cargo reads every workspace member's manifest; js-build.sh needs the lockfile and php-shim."""
    text = dockerfile()
    members = re.search(r"members\s*=\s*\[(.*?)\]", (ROOT / "Cargo.toml").read_text(), re.S).group(1)
    for member in re.findall(r'"([^"]+)"', members):
        if member == ".":
            assert "COPY Cargo.toml Cargo.lock build.rs ./" in text and "COPY src src" in text
        else:
            copies = re.findall(r"^COPY (\S+) \1$", text, re.M)
            assert any(member == c or member.startswith(c + "/") for c in copies), (member, copies)
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text().split()
    for copied in re.findall(r"^COPY (?!--from)(\S+(?: \S+)*?) \S+$", text, re.M):
        for source in copied.split():
            assert (ROOT / source).exists(), source
            allowed = [p for p in ignore if p.startswith("!")]
            assert any(source == p[1:].rstrip("/") or source.startswith(p[1:]) for p in allowed), (source, allowed)
    for never in ("**/target/", "**/node_modules/"):
        assert never in ignore


def test_every_js_app_is_built_in_the_image():
    apps = re.findall(r"^build_app \"[^\"]+\" (\S+)/src", (ROOT / "scripts" / "js-build.sh").read_text(), re.M)
    assert apps and all(app.startswith("php-shim/js/") for app in apps)
    # The js stage copies the whole plugin folder and runs the script itself, so a new app is built too.
    assert "COPY php-shim php-shim" in dockerfile() and "RUN bash scripts/js-build.sh" in dockerfile()


def test_the_site_stage_enables_the_extension_in_the_images_conf_d():
    site = dockerfile().split("# --- 3. the site")[1]
    assert '"$(php-config --extension-dir)/workos.so"' in site
    assert "docker-php-ext-enable workos" in site and "php -m | grep -qx workos" in site
    assert "ENTRYPOINT [\"workos-entrypoint.sh\"]" in site and 'CMD ["php-fpm"]' in site
    # Both stages follow one image argument: the extension is built for the PHP that loads it.
    assert dockerfile().count("FROM ${WORDPRESS_IMAGE}") == 2


def test_the_entrypoint_is_valid_sh_and_hands_over_to_the_official_one():
    script = DOCKER / "workos-entrypoint.sh"
    subprocess.run(["sh", "-n", str(script)], check=True)
    text = script.read_text()
    assert text.rstrip().endswith('exec docker-entrypoint.sh "$@"')
    assert script.stat().st_mode & 0o111


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="no nginx")
def test_nginx_conf_passes_nginx_syntax_check(tmp_path):
    conf = (DOCKER / "nginx.conf").read_text()
    # `wordpress` is compose's service name; resolved only inside the compose network.
    conf = conf.replace("fastcgi_pass wordpress:9000;", "fastcgi_pass 127.0.0.1:9;").replace("listen 80;", "listen 127.0.0.1:1;")
    shutil.copy("/etc/nginx/fastcgi_params", tmp_path / "fastcgi_params")
    shutil.copy("/etc/nginx/mime.types", tmp_path / "mime.types")
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\ninclude mime.types;\naccess_log off;\nclient_body_temp_path {tmp_path};\nfastcgi_temp_path {tmp_path};\n"
        f"proxy_temp_path {tmp_path};\nuwsgi_temp_path {tmp_path};\nscgi_temp_path {tmp_path};\n{conf}\n}}\n")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    r = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "main.conf")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # The routes the plugin serves without files reach index.php.
    assert "try_files $uri $uri/ /index.php?$args;" in conf


def config_extra() -> str:
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    return compose["services"]["wordpress"]["environment"]["WORDPRESS_CONFIG_EXTRA"].replace("$$", "$")


def run_config_extra(env: dict[str, str]) -> dict:
    """The snippet as the image's wp-config.php runs it: eval'd after getenv_docker() is defined."""
    code = (
        "function getenv_docker($env, $default) { $v = getenv($env); return false === $v ? $default : $v; }"
        "$before = array_keys(get_defined_vars());"
        "eval($argv[1]);"
        "$leaked = array_values(array_diff(array_keys(get_defined_vars()), $before, array('before')));"
        "$out = array();"
        "foreach (array('WORKOS_ENVIRONMENT','WORKOS_API_KEY','WORKOS_CLIENT_ID','WORKOS_WEBHOOK_SECRET',"
        "'WORKOS_ORGANIZATION_ID','WORKOS_LOGIN_MODE','WORKOS_TRUSTED_PROXIES') as $n) {"
        " $out[$n] = defined($n) ? constant($n) : null; }"
        "$out['leaked'] = $leaked;"
        "echo json_encode($out);"
    )
    r = subprocess.run(["php", "-n", "-r", code, config_extra()], env={"PATH": "/usr/bin:/bin", **env},
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr + r.stdout
    return json.loads(r.stdout)


def test_the_wp_config_snippet_defines_the_constants_that_are_set():
    got = run_config_extra({"WORKOS_API_KEY": "sk_test_docker", "WORKOS_CLIENT_ID": "client_docker",
                            "WORKOS_WEBHOOK_SECRET": "", "WORKOS_TRUSTED_PROXIES": "10.0.0.0/8"})
    assert got["WORKOS_API_KEY"] == "sk_test_docker" and got["WORKOS_CLIENT_ID"] == "client_docker"
    assert got["WORKOS_TRUSTED_PROXIES"] == "10.0.0.0/8"
    # Empty or unset: not defined, so the settings screen can still set it.
    assert got["WORKOS_WEBHOOK_SECRET"] is None and got["WORKOS_ORGANIZATION_ID"] is None
    assert got["leaked"] == []  # no variables left in wp-config.php's scope


def test_every_constant_the_snippet_reads_is_passed_by_compose_and_is_a_plugin_setting():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    env = compose["services"]["wordpress"]["environment"]
    names = re.findall(r"'(WORKOS_[A-Z_]+)'", config_extra())
    assert names and all(n in env for n in names), names
    registry = (ROOT / "php-shim" / "src" / "Settings" / "Registry.php").read_text()
    readme = (ROOT / "README.md").read_text()
    for name in names:
        assert f"`{name}`" in readme or name.removeprefix("WORKOS_").lower() in registry, name
    example = (DOCKER / "env.example").read_text()
    assert all(re.search(rf"^{n}=", example, re.M) for n in names), "docker/env.example lacks a variable"
