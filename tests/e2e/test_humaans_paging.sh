#!/bin/bash
# Humaans end to end, paging: 600 people with an emulator that refuses
# $limit above 250 (HTTP 400) must take exactly three /people pages
# ($skip 0, 250, 500) and see everyone once; job roles are paged the same
# way. With a public:read token, personal fields are withheld: a warning,
# and nobody's birth date is written as empty.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
CFG="$T/hrsync.json"
cd "$T" || fail "cd $T"
export HRSYNC_HUMAANS_TOKEN=humaans-test-token

setup()
{
  rm -f "$T/hrsync.json"
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" init humaans \
    -o "$T/hrsync.json" 2>/dev/null || fail "init"
  jq --arg u "$EMU_URL/humaans/api" --arg db "$T/$1.db" \
    '.settings.base_url = $u | .database = $db | .conditions = []
     | .groups = [{"group": "Engineering", "if": [{"field": "department",
                   "op": "=", "value": "Engineering"}]}]' \
    "$T/hrsync.json" >"$T/cfg.tmp" || fail "jq"
  mv "$T/cfg.tmp" "$T/hrsync.json" && chmod 600 "$T/hrsync.json"
}

emu_start --employees 600 --seed 5 --humaans-limit reject
setup paging
hr --json preview >p.json 2>p.err || fail "preview: $(cat p.err)"
assert_eq "$(jq '[.summary[]] | add' p.json)" 600 "every person once"
stats=$(emu_ctl GET /_emulator/stats) || fail "stats"
# Sorted: the pages after the first are fetched concurrently (issue 16).
assert_eq "$(echo "$stats" | jq -r '[.requests[] | select(.path | endswith("/people")) | .query] | sort | join(" ")')" \
  "\$limit=250&\$skip=0 \$limit=250&\$skip=250 \$limit=250&\$skip=500" \
  "the /people pages"
assert_eq "$(echo "$stats" | jq '[.requests[] | select(.status >= 400)] | length')" \
  0 "no refused request"
emu_stop

emu_start --employees 40 --seed 5 --humaans-scope public
setup public
hr --json preview >q.json 2>q.err || fail "public token: $(cat q.err)"
assert_contains "$(cat q.err)" "birthday" "a withheld field is warned about"
assert_eq "$(jq '[.changes[] | select(.fields.birth_date.after != null)] | length' q.json)" \
  0 "no birth date from a public:read token"
echo "ok: humaans paging"
