#!/usr/bin/env bash
# Build the reading room's front-end libraries from the npm registry into package data.
# `npm ci` in frontend/ (exact versions from package-lock.json), then copies the built files the
# pages load into src/prinkipo/web/static/vendor/ with a VERSIONS file. Nothing is fetched at run
# time and no page uses a CDN. Run it after changing frontend/package.json; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=src/prinkipo/web/static/vendor
(cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
NM=frontend/node_modules
rm -rf "$OUT"
mkdir -p "$OUT/leaflet/images"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$OUT/leaflet/"
cp "$NM/leaflet/dist/images/"*.png "$OUT/leaflet/images/"
cp "$NM/leaflet/LICENSE" "$OUT/leaflet/LICENSE"
mkdir -p "$OUT/cytoscape"
cp "$NM/cytoscape/dist/cytoscape.min.js" "$NM/cytoscape/LICENSE" "$OUT/cytoscape/"
mkdir -p "$OUT/topojson-client"
cp "$NM/topojson-client/dist/topojson-client.min.js" "$NM/topojson-client/LICENSE" "$OUT/topojson-client/"
mkdir -p "$OUT/world-atlas"
cp "$NM/world-atlas/countries-110m.json" "$NM/world-atlas/LICENSE" "$OUT/world-atlas/"
{
    echo "# name version (from frontend/package-lock.json, installed by scripts/vendor.sh)"
    for pkg in cytoscape leaflet topojson-client world-atlas; do
        node -e "const p=require('./$NM/$pkg/package.json'); console.log(p.name+' '+p.version)"
    done
} > "$OUT/VERSIONS"
echo "vendored into $OUT:"; cat "$OUT/VERSIONS"
