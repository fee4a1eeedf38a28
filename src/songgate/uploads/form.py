"""The file of a ``multipart/form-data`` upload, streamed as it arrives.

Clients of the gateway's upload flow send a form to the upload's target (its ``fields``,
then the file as the part named ``file``), as they would to an object store's presigned
POST. Only the file's bytes are kept; the other fields are read past. The form as a whole
is bounded too (the file's bound and ``FORM_OVERHEAD`` for the rest), so a form of many
large fields cannot be sent either.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from songgate.errors import UploadRefused

FORM_OVERHEAD = 64 * 1024  # the fields, part headers and boundaries besides the file
FILE_FIELD = b"file"


def form_boundary(content_type: str) -> bytes:
    """The boundary of a ``multipart/form-data`` body; refused if it is not one."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary", b"")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused("a form must be multipart/form-data with a boundary, the audio "
                            "as its 'file' field (or send the file itself as the body)")
    return boundary


class _FilePart:
    """Parser callbacks that keep the bytes of the first part that is the file."""

    def __init__(self) -> None:
        self.pending: list[bytes] = []
        self.found = False
        self.done = False
        self._in_file = False
        self._field = b""
        self._headers: dict[bytes, bytes] = {}
        self._value = b""

    def on_part_begin(self) -> None:
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._field.strip().lower()] = self._value.strip()
        self._field = self._value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        is_file = options.get(b"name") == FILE_FIELD or b"filename" in options
        self._in_file = is_file and not self.found
        self.found = self.found or self._in_file

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.pending.append(data[start:end])

    def on_part_end(self) -> None:
        self._in_file = False

    def on_end(self) -> None:
        self.done = True

    def take(self) -> list[bytes]:
        taken, self.pending = self.pending, []
        return taken


async def form_file(chunks: AsyncIterator[bytes], boundary: bytes,
                    max_bytes: int) -> AsyncIterator[bytes]:
    """The bytes of the form's file part, as the form arrives."""
    part = _FilePart()
    callbacks = {name: getattr(part, name) for name in (
        "on_part_begin", "on_header_field", "on_header_value", "on_header_end",
        "on_headers_finished", "on_part_data", "on_part_end", "on_end")}
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    most = max_bytes + FORM_OVERHEAD
    size = 0
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > most:
                raise UploadRefused(f"the file is too big: more than {max_bytes} bytes")
            parser.write(chunk)
            for piece in part.take():
                yield piece
        parser.finalize()
    except MultipartParseError as error:
        raise UploadRefused(f"the form is malformed: {error}") from None
    for piece in part.take():
        yield piece
    if not part.found:
        raise UploadRefused("the form has no file: send the audio as its 'file' field")
    if not part.done:
        raise UploadRefused("the form is cut short: its closing boundary never came")
