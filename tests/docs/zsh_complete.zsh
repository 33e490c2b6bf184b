# zsh -f zsh_complete.zsh COMPLETIONS_DIR BIN_DIR LINE...: types each LINE
# and a Tab into an interactive zsh (a pty) with hrsync's completion
# loaded, and prints what the terminal showed, escape sequences removed.
zmodload zsh/zpty
dir=$1 bindir=$2
shift 2
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=($dir \$fpath); autoload -U compinit; compinit -u -D; PATH=$bindir:\$PATH"
for line in "$@"; do
  zpty -w -n z "$line"$'\t'
  sleep 1
  zpty -w -n z $'\C-a\C-k'
done
sleep 1
all=""
while zpty -r -t z chunk; do all+=$chunk; done
print -r -- "$all" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
zpty -d z
