#!/bin/sh
# Puts the plugin this image carries into the site's volume at every start (so a new image is a new
# plugin version; WordPress's own files are copied by the official entrypoint only into an empty
# volume), then hands over to the official entrypoint.
set -eu
plugins=/var/www/html/wp-content/plugins
mkdir -p "$plugins"
rm -rf "$plugins/workos.new"
cp -a /usr/src/workos "$plugins/workos.new"
rm -rf "$plugins/workos"
mv "$plugins/workos.new" "$plugins/workos"
chown -R www-data:www-data "$plugins/workos"
exec docker-entrypoint.sh "$@"
