#!/usr/bin/env bash
# make pot: the plugin's translation template, php-shim/languages/workos.pot, from every string of
# its PHP (__(), esc_html__(), _x() … with text domain 'workos') and of its front-end apps'
# sources (php-shim/js/*/src: @wordpress/i18n's __(), _x(), _n(), _nx()), with the translators'
# comments. GNU gettext's xgettext reads both (Debian package gettext, scripts/deps.sh): its
# JavaScript parser finds the same strings as a Babel walk of the JSX sources did when checked.
#
# Then the French test fixture (tests/wp/languages/workos-fr_FR.po, a few shell strings) is compiled
# as WordPress reads it: workos-fr_FR.mo for PHP, and for the login shell's script the JSON file
# wp_set_script_translations() looks for, named after md5 of the script's path in the plugin.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { printf '[pot] %s\n' "$*" >&2; }
command -v xgettext >/dev/null || { log "xgettext missing: run scripts/deps.sh (Debian package gettext)"; exit 1; }

OUT=php-shim/languages/workos.pot
FIXTURE=tests/wp/languages
tmp="$(mktemp -d /tmp/workos-pot.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

version="$(sed -n 's/^ \* Version:[[:space:]]*//p' php-shim/workos.php | head -1)"
common=(--from-code=UTF-8 --add-comments=translators: --sort-by-file --no-wrap
  --package-name="WorkOS for WordPress" --package-version="${version:-0}" --msgid-bugs-address="the plugin's issue tracker")

# PHP: WordPress's translation functions (context = c, plural = the second argument).
mapfile -t php < <(find php-shim -name '*.php' -not -path '*/node_modules/*' -not -path '*/build/*' | LC_ALL=C sort)
xgettext "${common[@]}" --language=PHP -o "$tmp/php.pot" \
  -k -k__:1 -k_e:1 -k_x:1,2c -k_ex:1,2c -k_n:1,2 -k_nx:1,2,4c -k_n_noop:1,2 -k_nx_noop:1,2,3c \
  -kesc_html__:1 -kesc_html_e:1 -kesc_html_x:1,2c -kesc_attr__:1 -kesc_attr_e:1 -kesc_attr_x:1,2c \
  "${php[@]}"

# JavaScript: @wordpress/i18n.
mapfile -t js < <(find php-shim/js -path '*/src/*' -name '*.js' -not -path '*/node_modules/*' | LC_ALL=C sort)
xgettext "${common[@]}" --language=JavaScript -o "$tmp/js.pot" \
  -k -k__:1 -k_x:1,2c -k_n:1,2 -k_nx:1,2,4c "${js[@]}"

mkdir -p "$(dirname "$OUT")"
msgcat --use-first --sort-by-file --no-wrap -o "$tmp/workos.pot" "$tmp/php.pot" "$tmp/js.pot"
# A template, not a translation: the header says so, without the run's date (stable output).
sed -e 's/^"Content-Type: text\/plain; charset=CHARSET\\n"/"Content-Type: text\/plain; charset=UTF-8\\n"/' \
  -e '/^"POT-Creation-Date:/d' -e 's/^# SOME DESCRIPTIVE TITLE./# WorkOS for WordPress translation template./' \
  -e '/^# Copyright (C) YEAR/d' -e '/^# This file is distributed under the same license as the/d' \
  -e '/^# FIRST AUTHOR/d' "$tmp/workos.pot" >"$OUT"
log "$OUT: $(grep -c '^msgid "' "$OUT") strings ($(grep -c '^msgid "' "$tmp/php.pot") PHP, $(grep -c '^msgid "' "$tmp/js.pot") JS)"

# The French fixture: every entry must still be a string of the plugin.
po="$FIXTURE/workos-fr_FR.po"
if [[ -f $po ]]; then
  msgfmt --check -o "$FIXTURE/workos-fr_FR.mo" "$po"
  xgettext "${common[@]}" --language=JavaScript -o "$tmp/login.pot" -k -k__:1 -k_x:1,2c -k_n:1,2 -k_nx:1,2,4c \
    $(find php-shim/js/login/src -name '*.js' | LC_ALL=C sort)
  python3 - "$po" "$tmp/login.pot" "$OUT" "$FIXTURE" <<'PY'
import hashlib, json, re, sys

def entries(path):
    """(msgctxt, msgid) -> msgstr of a .po/.pot (single and continued lines; no plurals)."""
    out, cur, key = {}, {}, None
    def flush():
        if "msgid" in cur and cur["msgid"]:
            out[(cur.get("msgctxt"), cur["msgid"])] = cur.get("msgstr", "")
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'^(msgctxt|msgid|msgstr) (".*")$', line)
        if m:
            if m.group(1) in ("msgctxt", "msgid") and ("msgstr" in cur):
                flush(); cur = {}
            key = m.group(1); cur[key] = json.loads(m.group(2))
        elif line.startswith('"') and key:
            cur[key] += json.loads(line)
        elif not line.strip():
            key = None
    flush()
    return out

po, login, pot, fixture = sys.argv[1:]
fr, js, known = entries(po), entries(login), entries(pot)
stale = [k for k in fr if k not in known]
if stale:
    sys.exit(f"[pot] {po}: not strings of the plugin any more: {stale}")
messages = {"": {"domain": "messages", "lang": "fr_FR", "plural-forms": "nplurals=2; plural=(n > 1);"}}
for (ctx, msgid), msgstr in sorted(fr.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
    if msgstr and (ctx, msgid) in js:
        messages[(ctx + "\u0004" if ctx else "") + msgid] = [msgstr]
# WordPress (load_script_textdomain) looks for {domain}-{locale}-{md5 of the script's path in the plugin}.json.
name = "workos-fr_FR-" + hashlib.md5(b"js/login/build/index.js").hexdigest() + ".json"
doc = {"domain": "messages", "locale_data": {"messages": messages}}
with open(f"{fixture}/{name}", "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")
print(f"[pot] {fixture}/{name}: {len(messages) - 1} script strings", file=sys.stderr)
PY
fi
