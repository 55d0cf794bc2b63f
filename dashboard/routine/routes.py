"""The Deliveries page's two plain HTTP routes: the upload (POST) and the quarantine download (CSV).

Why a Flask route and not dcc.Upload: dcc.Upload reads every file into the browser's memory and
sends it base64-encoded inside a callback's JSON, which the server has parsed whole before any
code of ours could look at a name or a size. Here nothing of a file is read before it is checked:

1. the signed-in role (analyst or admin) and the centre (`?centre=`, in the query string so it is
   checked before the body: one of the user's centres) are checked first;
2. the CSRF token (header `X-CSRFToken`, from the `_csrf_token` cookie like Dash's callbacks);
   the global check is bypassed for this route only because it would parse the whole form
   first, and is done here, the same way (flask_wtf's validate_csrf and, over HTTPS, the referrer);
3. the declared length (`Content-Length`) against REACH_UPLOAD_MAX_MB (pipelines/uploads.py):
   too large is refused with 413 before a byte of the body is read;
4. the multipart body is parsed as it streams in (werkzeug's MultipartDecoder): each file's name
   and type are checked when its part header arrives, before its content is read; contents go in
   1 MiB chunks to a private spool folder under <home>/uploads (0700, files 0600, named by number,
   never by the sender's name), cut off at the limit;
5. then `upload_delivery` (the same checks again, the store with hashes, the loader of
   `reach load`) runs in the background (jobs.py); the answer is the job's id at once.

The download gives a delivery's quarantined rows as CSV (UTF-8 with BOM), text neutralised for
spreadsheets (pipelines/safe_text.py), for a delivery of a centre in the user's scope, audited.
Stored uploads are never served.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import flask
from flask import Response, jsonify, request
from flask_wtf.csrf import CSRFError, same_origin, validate_csrf
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from wtforms.validators import ValidationError

from dashboard.auth import current_account, record
from dashboard.auth.server import request_actor
from dashboard.routine.jobs import Job, Jobs
from dashboard.routine.texts import rt
from dashboard.state.pages import page_allowed
from pipelines.access import Account
from pipelines.deliveries import list_deliveries
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest.report import LoadProgress
from pipelines.safe_text import csv_cell
from pipelines.uploads import (
    CHUNK,
    MIB,
    UploadedFile,
    UploadLimits,
    UploadRefused,
    check_upload,
    file_name,
    quarantined_rows,
    upload_delivery,
)

UPLOAD_PATH = "/deliveries/upload"
QUARANTINE_PATH = "/deliveries/quarantine.csv"
PAGE = "deliveries"
FORM_OVERHEAD = MIB  # part headers and boundaries on top of the files' bytes
SPOOL_PREFIX = ".receiving-"


def _answer(status: int, message: str, **extra: Any) -> Response:
    response = jsonify({"error": message, **extra} if message else extra)
    response.status_code = status
    return response


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "cs"


def may_load(account: Account | None, centre: str) -> bool:
    """An analyst or admin, for a centre in their scope."""
    return (account is not None and page_allowed(PAGE, account.role)
            and (account.scope.everything or centre in account.scope.centres))


def register_routes(server: flask.Flask, home: Home, jobs: Jobs) -> None:
    csrf = server.extensions["csrf"]

    @server.route(UPLOAD_PATH, methods=["POST"])
    def deliveries_upload() -> Response:
        lang = _lang()
        account = current_account()
        centre = request.args.get("centre", "").strip().upper()
        if account is None or not page_allowed(PAGE, account.role):
            return _answer(403, rt("upload_role_refused", lang))
        _check_csrf()
        if not may_load(account, centre):
            return _answer(403, rt("upload_centre_refused", lang).format(centre=centre or "-"))
        limits = UploadLimits.from_environment()
        length = request.content_length
        if length is None:
            return _answer(411, rt("upload_no_length", lang))
        if length > limits.max_bytes + FORM_OVERHEAD:
            return _answer(413, UploadRefused(
                f"The upload is {length / MIB:,.1f} MB, more than the limit of {limits.max_bytes / MIB:,.1f} MB; "
                "nothing was read.").args[0])
        mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
        if mimetype != "multipart/form-data" or not options.get("boundary"):
            return _answer(400, rt("upload_not_form", lang))
        home.uploads_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        spool = home.uploads_dir / f"{SPOOL_PREFIX}{uuid.uuid4().hex}"
        spool.mkdir(mode=0o700)
        try:
            received = receive(request.stream, options["boundary"], spool, limits)
            check_upload([UploadedFile(name, path.stat().st_size, io.BytesIO()) for name, path in received], limits)
        except UploadRefused as error:
            shutil.rmtree(spool, ignore_errors=True)
            return _answer(413 if "limit" in str(error) else 400, str(error))
        except BaseException:
            shutil.rmtree(spool, ignore_errors=True)
            raise
        actor = request_actor()

        def work(job: Job) -> dict[str, Any]:
            def report(step: LoadProgress) -> None:
                job.progress = load_progress(step)

            handles = [path.open("rb") for _, path in received]
            try:
                files = [UploadedFile.from_stream(name, handle, path.stat().st_size)
                         for (name, path), handle in zip(received, handles, strict=True)]
                return upload_delivery(home, files, centre=centre, actor=actor, limits=limits, progress=report)
            finally:
                for handle in handles:
                    handle.close()
                shutil.rmtree(spool, ignore_errors=True)

        job, _ = jobs.start("upload", account.name, centre, work,
                            {"files_done": 0, "files_total": len(received), "file_name": "", "rows_read": 0})
        return _answer(202, "", job=job.id)

    csrf.exempt(deliveries_upload)  # checked in the view, before the body is read (see the module's docstring)

    def _check_csrf() -> None:
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except ValidationError as error:
            raise CSRFError(error.args[0]) from None
        strict = request.is_secure and server.config.get("WTF_CSRF_SSL_STRICT", True)
        if strict and not (request.referrer and same_origin(request.referrer, f"https://{request.host}/")):
            raise CSRFError("The referrer does not match the host.")

    @server.route(QUARANTINE_PATH, methods=["GET"])
    def deliveries_quarantine() -> Response:
        lang = _lang()
        account = current_account()
        ident = request.args.get("delivery", "")
        try:
            found = next((d for d in list_deliveries(home) if d.delivery_id == ident), None)
        except ReachError:
            found = None
        if found is None or not may_load(account, found.centre):  # another centre's is as absent as none
            return Response(rt("no_such_delivery", lang), status=404, mimetype="text/plain")
        name = f"quarantine_{found.centre}_{ident[:12]}.csv"
        record(home, "export.download", name, f"delivery {ident}; centre {found.centre}")
        return Response(quarantine_csv(quarantined_rows(home, ident)), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


QUARANTINE_HEADERS = ("file", "row", "column", "value", "reason")


def quarantine_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV with a BOM (Excel reads it as UTF-8), every text neutralised for spreadsheets."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(QUARANTINE_HEADERS)
    for row in rows:
        writer.writerow([csv_cell(row[h]) if row[h] is not None else "" for h in QUARANTINE_HEADERS])
    return out.getvalue()


def load_progress(report: LoadProgress) -> dict[str, Any]:
    """The loader's report as the job keeps it (plain data: the page's store holds it, callbacks.py)."""
    return {"files_done": report.files_done, "files_total": report.files_total,
            "file_name": report.file_name, "rows_read": report.rows_read}


def receive(stream: BinaryIO, boundary: str, spool: Path, limits: UploadLimits) -> list[tuple[str, Path]]:
    """The files of a multipart body, each checked by name and type before its content is read,
    written to `spool` and cut off at the limit; -> (file name, spooled path) in the order sent."""
    # No memory cap of its own: it holds one chunk at a time, and every file part goes straight to disk.
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=None)
    received: list[tuple[str, Path]] = []
    out: BinaryIO | None = None
    total, ended = 0, False
    try:
        while True:
            try:
                event = decoder.next_event()
            except ValueError as error:
                raise UploadRefused(f"The upload is not a readable form ({error}); nothing was kept.") from None
            if isinstance(event, NeedData):
                if ended:
                    raise UploadRefused("The upload ended before its last file; nothing was kept.")
                chunk = stream.read(CHUNK)
                ended = not chunk
                decoder.receive_data(chunk or None)
            elif isinstance(event, File):
                name = file_name(event.filename)
                if len(received) >= limits.max_files:
                    raise UploadRefused(f"More than {limits.max_files} files in one upload (put them in a zip).")
                check_upload([UploadedFile(name, 0, io.BytesIO())], limits)  # its type, before its content
                path = spool / f"{len(received):03d}"
                out = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
                received.append((name, path))
            elif isinstance(event, Data):
                if out is not None:
                    total += len(event.data)
                    if total > limits.max_bytes:
                        raise UploadRefused(f"The upload is larger than the limit of {limits.max_bytes / MIB:,.1f} "
                                            "MB; it was refused and nothing of it kept.")
                    out.write(event.data)
                    if not event.more_data:
                        out.close()
                        out = None
            elif isinstance(event, Field):
                continue  # no form field is used (the centre travels in the query string)
            elif isinstance(event, Epilogue):
                break
    finally:
        if out is not None:
            out.close()
    return received
