"""Media in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...).

With many machines, workers render clips and API processes serve them; a bucket is
the one place all of them reach. Objects are keyed by media name (sidecars under
``.meta/``), so a clip's public URL stays ``{public_url}/media/{name}`` whatever
the mode:

- ``proxy``: songgate relays the object, passing a client's Range through, so the
  bucket can stay private and unreachable from outside;
- ``presign``: songgate answers 302 to a short-lived presigned URL and the bytes
  flow from the store directly. Task results never hold presigned URLs: they expire.

boto3 blocks, so every call that talks to the store runs in a thread.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import boto3
import orjson
from botocore.config import Config
from botocore.exceptions import ClientError

from songgate.media.base import CACHE_FOREVER, Redirect, S3Mode, Served, Streamed
from songgate.media.names import cache_control, content_type

PRESIGN_SECONDS = 3600
# A redirect is reused for at most five minutes, so it always points at a live URL.
REDIRECT_CACHE = "private, max-age=300"
CHUNK_BYTES = 256 * 1024
# One plain range; anything else is served whole (as RFC 9110 allows), never sent on.
_ONE_RANGE = re.compile(r"bytes=(\d+-\d*|-\d+)")
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _meta_key(clip_id: str) -> str:
    if content_type(f"{clip_id}.mp3") is None:
        raise ValueError(f"not a clip id: {clip_id}")
    return f".meta/{clip_id}.json"


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _headers(found: dict[str, Any], kind: str) -> dict[str, str]:
    """Headers relayed from an object; the type comes from the name, never from the store."""
    headers = {
        "content-type": kind,
        "content-length": str(int(found["ContentLength"])),
        "accept-ranges": "bytes",
        "cache-control": str(found.get("CacheControl") or CACHE_FOREVER),
    }
    if found.get("ContentRange"):
        headers["content-range"] = str(found["ContentRange"])
    if found.get("ETag"):
        headers["etag"] = str(found["ETag"])
    if isinstance(found.get("LastModified"), datetime):
        headers["last-modified"] = _http_date(found["LastModified"])
    return headers


async def _chunks(body: Any) -> AsyncIterator[bytes]:
    """An object's body, read in a thread a chunk at a time; the connection goes back after."""
    try:
        while chunk := await asyncio.to_thread(body.read, CHUNK_BYTES):
            yield bytes(chunk)
    finally:
        body.close()


class S3MediaStore:
    def __init__(
        self, *, endpoint_url: str, bucket: str, access_key: str, secret_key: str,
        region: str = "us-east-1", public_url: str, mode: S3Mode = "proxy",
        scratch: Path | None = None,
    ) -> None:
        """Empty ``endpoint_url`` means AWS; empty keys mean boto3's usual credential chain.

        The keys go to the client only: this object keeps no copy to leak in a repr.
        """
        if mode not in ("proxy", "presign"):
            raise ValueError(f"unknown S3 media mode: {mode}")
        self._bucket = bucket
        self._public_url = public_url.rstrip("/")
        self._mode = mode
        self._scratch = scratch
        # Self-hosted stores are reached by address, so they need path-style URLs.
        style = "path" if endpoint_url else "auto"
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            region_name=region,
            config=Config(signature_version="s3v4", s3={"addressing_style": style}),
        )

    def url(self, name: str) -> str:
        return f"{self._public_url}/media/{name}"

    def work_dir(self) -> Path:
        """Local scratch for renders (in ``scratch``, else the system's temp directory)."""
        if self._scratch is not None:
            self._scratch.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="songgate-", dir=self._scratch))

    @staticmethod
    def discard(work_dir: Path) -> None:
        shutil.rmtree(work_dir, ignore_errors=True)

    async def publish(self, source: Path, name: str) -> str:
        """Upload a finished file (an object appears only once whole); the source is consumed."""
        kind = content_type(name)
        if kind is None:
            raise ValueError(f"not a media name: {name}")
        extra = {"ContentType": kind, "CacheControl": cache_control(name)}
        await asyncio.to_thread(
            self._client.upload_file, str(source), self._bucket, name, ExtraArgs=extra
        )
        source.unlink(missing_ok=True)
        return self.url(name)

    async def remove(self, name: str) -> None:
        if content_type(name) is not None:
            await asyncio.to_thread(self._client.delete_object, Bucket=self._bucket, Key=name)

    async def write_meta(self, clip_id: str, meta: dict[str, Any]) -> None:
        await asyncio.to_thread(
            self._client.put_object, Bucket=self._bucket, Key=_meta_key(clip_id),
            Body=orjson.dumps(meta), ContentType="application/json",
        )

    async def read_meta(self, clip_id: str) -> dict[str, Any] | None:
        try:
            key = _meta_key(clip_id)
        except ValueError:
            return None
        raw = await asyncio.to_thread(self._read, key)
        if raw is None:
            return None
        try:
            meta = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None
        return meta if isinstance(meta, dict) else None

    async def local_copy(self, name: str, into: Path) -> Path | None:
        """Download the object into the caller's scratch space."""
        if content_type(name) is None:
            return None
        target = into / name
        try:
            await asyncio.to_thread(self._client.download_file, self._bucket, name, str(target))
        except ClientError as error:
            if _code(error) in _MISSING:
                target.unlink(missing_ok=True)
                return None
            raise
        return target

    async def serve(self, name: str, byte_range: str | None, *, head: bool) -> Served | None:
        """HEAD is answered here in both modes: a presigned GET URL is not valid for HEAD."""
        kind = content_type(name)
        if kind is None:
            return None
        if head:
            return await asyncio.to_thread(self._head, name, kind)
        if self._mode == "presign":
            return await asyncio.to_thread(self._presign, name)
        return await self._proxy(name, kind, byte_range)

    async def close(self) -> None:
        self._client.close()

    def _read(self, key: str) -> bytes | None:
        try:
            found = self._client.get_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if _code(error) in _MISSING:
                return None
            raise
        with found["Body"] as body:
            return bytes(body.read())

    def _stat(self, name: str) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = self._client.head_object(Bucket=self._bucket, Key=name)
        except ClientError as error:
            if _code(error) in _MISSING:
                return None
            raise
        return found

    def _head(self, name: str, kind: str) -> Streamed | None:
        found = self._stat(name)
        return None if found is None else Streamed(200, _headers(found, kind), None)

    def _presign(self, name: str) -> Redirect | None:
        if self._stat(name) is None:  # a missing file is a 404 here, not at the store
            return None
        url = self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": name},
            ExpiresIn=PRESIGN_SECONDS,
        )
        return Redirect(str(url), REDIRECT_CACHE)

    async def _proxy(self, name: str, kind: str, byte_range: str | None) -> Served | None:
        request = {"Bucket": self._bucket, "Key": name}
        if byte_range and _ONE_RANGE.fullmatch(byte_range.strip()):
            request["Range"] = byte_range.strip()
        try:
            found = await asyncio.to_thread(self._client.get_object, **request)
        except ClientError as error:
            if _code(error) in _MISSING:
                return None
            if _code(error) == "InvalidRange":
                size = error.response.get("Error", {}).get("ActualObjectSize")
                headers = {"content-range": f"bytes */{size}"} if size else {}
                return Streamed(416, headers, None)
            raise
        status = 206 if found.get("ContentRange") else 200
        return Streamed(status, _headers(found, kind), _chunks(found["Body"]))
