"""``GET /api/export/{format}``: the export file of CONTRACT.md, for every registered format.

A format that writes one file (``csl-json``, ``bibtex``, ``cmif``) is answered with that file; one
that writes a folder (``tei``, ``site``) with a zip of it. The export is written to a temporary
folder, sent, then removed.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from prinkipo.export import EXPORTERS, exporter
from prinkipo.web.archive import Archive

#: format → (media type, file name suffix) of the answer
MEDIA = {
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "cmif": ("application/tei+xml", "xml"),
}


def _zip(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(folder).as_posix())


def routes(archive: Archive) -> list[Route]:
    def api_export(request: Request) -> Response:
        fmt = request.path_params["format"]
        run = exporter(fmt[:40])
        tmp = Path(tempfile.mkdtemp(prefix="prinkipo-export-"))
        cleanup = BackgroundTask(shutil.rmtree, tmp, ignore_errors=True)
        try:
            media, suffix = MEDIA.get(fmt, ("application/zip", "zip"))
            out = tmp / ("export" if fmt not in MEDIA else f"archive.{suffix}")
            run(archive.store(), out, None)
            if out.is_dir():
                _zip(out, tmp / "archive.zip")
                out = tmp / "archive.zip"
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        name = f"prinkipo-{fmt}.{suffix}"
        return FileResponse(out, media_type=media, filename=name, background=cleanup)

    return [Route("/api/export/{format}", api_export)]


__all__ = ["EXPORTERS", "routes"]
