# shellcheck shell=bash
# bench_config HRSYNC CONNECTOR URL CFG DB: writes to CFG the config
# `hrsync init CONNECTOR` makes for the emulator's tenant at URL (init reads
# the tenant's fields, so the mapping is what that tenant has; the secrets'
# HRSYNC_* variables must be set), with the store DB. The benchmark and its
# floor test use the same configs. The emulator runs without rate limits,
# so the configs do not pace by the connectors' documented limits
# (limits.requests_per_minute 0; the answers' headers and 429s still
# count): the floor does not pace either. BENCH_CONCURRENCY, when set, is
# limits.concurrency.
bench_config()
{
  local base set=() edit='.'
  case "$2" in
    bamboohr) base=/bamboohr/api/gateway.php set=(--set subdomain=acme) ;;
    personio) base=/personio ;;
    hibob) base=/hibob ;;
    humaans) base=/humaans/api ;;
    lucca) base=/lucca edit='del(.settings.instance)' ;;
    *) echo "bench_config: unknown connector $2" >&2; return 2 ;;
  esac
  rm -f "$4"
  "$1" init "$2" -o "$4" --base-url "$3$base" "${set[@]}" >/dev/null 2>&1 ||
    { echo "bench_config: hrsync init $2 failed" >&2; return 1; }
  edit="$edit | .limits.requests_per_minute = 0"
  [ -z "${BENCH_CONCURRENCY:-}" ] ||
    edit="$edit | .limits.concurrency = ${BENCH_CONCURRENCY}"
  jq --arg db "$5" "$edit | .database = \$db" "$4" >"$4.tmp" &&
    mv "$4.tmp" "$4" && chmod 600 "$4"
}
