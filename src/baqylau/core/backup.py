"""Backup and restore of a deployment: the database and the uploaded files, in one archive.

The archive is a gzipped tar: ``baqylau-backup.json`` (what it holds), the database (SQLite through its
online backup API, so a running server is no obstacle; PostgreSQL as ``pg_dump`` custom format, one
consistent snapshot) and ``media/`` (report attachments, uploaded workbooks). A restore goes into an
empty database unless it is forced; then the database and the media folder are replaced.
"""

import datetime as dt
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
MANIFEST = "baqylau-backup.json"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
NAME_PATTERN = "baqylau-*.tar.gz"  # the files `backup --into DIR` writes and `--keep` counts


class BackupError(Exception):
    """Said to the operator as it is: what is wrong and what to do."""


def backup(path: Path) -> dict:
    """Write the archive to ``path`` (atomically: a failed backup leaves no half file); its manifest."""
    vendor = _vendor()
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="baqylau-backup-") as folder:
        dump = Path(folder) / DATABASE[vendor]
        tools = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgres(dump)
        media = _media_files()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "baqylau_version": version("baqylau"),
            "vendor": vendor,
            "database": DATABASE[vendor],
            "media_files": len(media),
            **tools,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=DATABASE[vendor])
            for file in media:
                archive.add(file, arcname=f"media/{file.relative_to(settings.MEDIA_ROOT).as_posix()}")
        os.replace(partial, path)
    return manifest


def backup_into(folder: Path, keep: int | None = None) -> tuple[Path, dict, list[Path]]:
    """A new timestamped archive in ``folder``; with ``keep``, the older ones beyond that many removed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    path = folder / NAME_PATTERN.replace("*", stamp)
    manifest = backup(path)
    removed = []
    if keep is not None:
        for old in sorted(folder.glob(NAME_PATTERN), reverse=True)[keep:]:
            old.unlink()
            removed.append(old)
    return path, manifest, removed


def restore(path: Path, force: bool = False) -> dict:
    vendor = _vendor()
    with tarfile.open(path, "r:gz") as archive:
        manifest = _manifest(archive, path)
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"{path} holds a {manifest['vendor']} database; this deployment's database is {vendor}."
            )
        if not force:
            _refuse_unless_empty()
        with tempfile.TemporaryDirectory(prefix="baqylau-restore-") as folder:
            archive.extract(manifest["database"], folder, filter="data")
            dump = Path(folder) / manifest["database"]
            if vendor == "sqlite":
                _restore_sqlite(dump)
            else:
                _restore_postgres(dump, manifest, clean=force)
        media = Path(settings.MEDIA_ROOT)
        if force and media.exists():
            for entry in media.iterdir():
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        members = [m for m in archive.getmembers() if m.name.startswith("media/") and m.isfile()]
        for member in members:
            member.name = member.name.removeprefix("media/")
            archive.extract(member, media, filter="data")
    return manifest


def _vendor() -> str:
    if connection.vendor not in DATABASE:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
    return connection.vendor


def _manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a Baqylau backup (no {MANIFEST} in it).") from exc
    if manifest.get("format") != FORMAT:
        found = manifest.get("format")
        raise BackupError(f"{path} is a backup of format {found}; this version reads format {FORMAT}.")
    return manifest


def _refuse_unless_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables). Restore into a new, empty database, "
            "or give --force to replace everything in it (and in the media folder)."
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise BackupError(
            f"The media folder {media} is not empty. Restore into an empty one, "
            "or give --force to replace its files."
        )


def _media_files() -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(content), int(dt.datetime.now().timestamp()), 0o644
    archive.addfile(info, io.BytesIO(content))


# SQLite: the online backup API copies a consistent snapshot while others read and write.


def _dump_sqlite(target: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    return {"sqlite_version": sqlite3.sqlite_version}


def _restore_sqlite(dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
        connection.close()


# PostgreSQL: the client tools, whose major version must not be older than the server's.


def _pg_env() -> dict:
    params = connection.settings_dict
    env = {
        "PGHOST": params.get("HOST") or "",
        "PGPORT": str(params.get("PORT") or ""),
        "PGUSER": params.get("USER") or "",
        "PGPASSWORD": params.get("PASSWORD") or "",
        "PGDATABASE": params["NAME"],
    }
    if sslmode := params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return os.environ | {k: v for k, v in env.items() if v}


def _tool_major(tool: str) -> int:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed: install the PostgreSQL client (postgresql-client).")
    answer = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"(\d+)(?:\.\d+)?", answer).group(1))


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _dump_postgres(target: Path) -> dict:
    client, server = _tool_major("pg_dump"), _server_major()
    if client < server:
        raise BackupError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server: install postgresql-client-{server}."
        )
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    return {"postgresql_server": server, "pg_dump": client}


def _restore_postgres(dump: Path, manifest: dict, clean: bool) -> None:
    client = _tool_major("pg_restore")
    if client < manifest["pg_dump"]:
        raise BackupError(
            f"The backup was written by pg_dump {manifest['pg_dump']}; pg_restore {client} cannot read it: "
            f"install postgresql-client-{manifest['pg_dump']}."
        )
    connection.close()  # pg_restore works alone
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    command += ["--clean", "--if-exists"] if clean else []
    _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(dump)])
