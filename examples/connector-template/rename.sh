#!/bin/sh
# Turns this copy of the template into the start of your connector:
#   ./rename.sh teamtailor "Teamtailor"
# renames acme.c and every acme/Acme People in the build files and the
# source (file name, descriptor name, function prefix). Run it once, in
# your copy, then replace the callbacks' bodies.
set -eu
name=${1:?usage: ./rename.sh NAME "Display Name"   (NAME: a-z 0-9 _)}
display=${2:-$1}
case $name in
  *[!a-z0-9_]* | "") echo "rename.sh: NAME must be [a-z0-9_]+" >&2; exit 2 ;;
esac
cd "$(dirname "$0")"
[ -f acme.c ] || { echo "rename.sh: no acme.c here (renamed already?)" >&2; exit 2; }
# Escape what sed's replacement would read specially in the display name.
disp=$(printf '%s' "$display" | sed 's/[\\/&]/\\&/g')
sed -e "s/Acme People/$disp/g" -e "s/hrsync-acme/hrsync-$name/g" \
    -e "s/acme_/${name}_/g" -e "s/\"acme\"/\"$name\"/g" acme.c >"$name.c"
rm acme.c
for f in CMakeLists.txt Makefile; do
  sed -e "s/hrsync-acme/hrsync-$name/g" -e "s/acme\.c/$name.c/g" \
      -e "s/hrsync_add_connector(acme/hrsync_add_connector($name/" \
      "$f" >"$f.new"
  mv "$f.new" "$f"
done
echo "renamed to $name ($display): edit $name.c, then build (see README.md)"
