# bash completion for hrsync(1): commands, options, connector names (from
# `hrsync plugins`, with the --plugin-dir of the line being completed),
# files and folders where an option takes one. Installed to bash-completion's completions folder; needs
# nothing of the bash-completion package itself.

_hrsync_commands="plugins init check fields preview sync link unlink
stakeholders export import runs conformance"
_hrsync_globals="-c --config --db --plugin-dir -v --verbose -q --quiet --json
-h --help --version"
# The working connectors' names; $1... are --plugin-dir arguments.
_hrsync_connectors()
{
  command hrsync "$@" plugins 2>/dev/null |
    awk 'NR > 1 && $1 ~ /^[a-z0-9_]+$/ && $2 != "broken:" { print $1 }' |
    sort -u
}

_hrsync()
{
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local cmd="" i w opts="" pdir=()
  COMPREPLY=()
  # The command, and a --plugin-dir given so far, skipping option values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
    -c | --config | --db | -o | --plan | --fixtures | --record) ((i++)) ;;
    --plugin-dir)
      pdir=(--plugin-dir "${COMP_WORDS[i + 1]}")
      ((i++))
      ;;
    --plugin-dir=*) pdir=("$w") ;;
    -*) ;;
    *) [ -z "$cmd" ] && cmd=$w ;;
    esac
  done
  case $prev in
  --encoding)
    COMPREPLY=($(compgen -W "cp1252 latin1 UTF-16LE" -- "$cur"))
    return
    ;;
  --sheet | --group | --set | --base-url) return ;;
  -c | --config | --db | -o | --plan)
    COMPREPLY=($(compgen -f -- "$cur"))
    return
    ;;
  --plugin-dir | --fixtures | --record)
    COMPREPLY=($(compgen -d -- "$cur"))
    return
    ;;
  esac
  if [ -z "$cmd" ]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "$_hrsync_globals" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$_hrsync_commands" -- "$cur"))
    fi
    return
  fi
  case $cmd in
  init) opts="-o --force --set --base-url --offline" ;;
  preview) opts="--plan" ;;
  sync) opts="--yes -y --plan --allow-mass-change --remap-hris-id --strict --summary" ;;
  import) opts="--dry-run --sheet --encoding" ;;
  export) opts="--force --group" ;;
  stakeholders) opts="--group" ;;
  conformance) opts="--fixtures --record" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts $_hrsync_globals" -- "$cur"))
    return
  fi
  case $cmd in
  init | conformance)
    COMPREPLY=($(compgen -W "$(_hrsync_connectors "${pdir[@]}")" -- "$cur"))
    [ "$cmd" = conformance ] && COMPREPLY+=($(compgen -f -X '!*.so' -- "$cur"))
    ;;
  runs) COMPREPLY=($(compgen -W "show" -- "$cur")) ;;
  export | import) COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}

complete -o default -F _hrsync hrsync
