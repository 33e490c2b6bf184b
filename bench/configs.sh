# shellcheck shell=bash
# bench_config HRSYNC CONNECTOR URL CFG DB: writes to CFG the config
# `hrsync init CONNECTOR` makes, pointed at the emulator at URL and at the
# store DB (the benchmark and its floor test use the same configs).
bench_config()
{
  local edit
  case "$2" in
    bamboohr) edit='.settings.subdomain = "acme" | .settings.base_url = $u + "/bamboohr/api/gateway.php"' ;;
    personio) edit='.settings.base_url = $u + "/personio"' ;;
    hibob) edit='.settings.base_url = $u + "/hibob"' ;;
    humaans) edit='.settings.base_url = $u + "/humaans/api"' ;;
    lucca) edit='.settings.base_url = $u + "/lucca" | del(.settings.instance)' ;;
    *) echo "bench_config: unknown connector $2" >&2; return 2 ;;
  esac
  rm -f "$4"
  "$1" init "$2" -o "$4" 2>/dev/null
  jq --arg u "$3" --arg db "$5" "$edit | .database = \$db" "$4" >"$4.tmp" &&
    mv "$4.tmp" "$4" && chmod 600 "$4"
}
