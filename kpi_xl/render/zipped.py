"""A workbook's zip container member by member, each kept as the compressed bytes it was
written with: a template's unchanged parts are copied as XlsxWriter (through zipfile)
deflated them, and only a person's parts are deflated again (render/stamp.py).

Every header is the template's own (names, versions, flags, dates as zipfile wrote them);
a replaced member only gets its new CRC and sizes, and the central directory its offsets.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_LOCAL, _CENTRAL, _END = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_END_SIZE = 22
_LIMIT = 1 << 30  # far below zip64's sizes: a part this large is never a form's
_DEFLATED = 8
_DATA_DESCRIPTOR = 0x08


@dataclass(frozen=True)
class Member:
    name: str
    local: bytes  # local file header, name and extra field
    data: bytes  # the compressed bytes
    central: bytes  # central directory entry (its offset is set when assembled)


@dataclass(frozen=True)
class Zipped:
    members: tuple[Member, ...]
    end: bytes  # end of central directory record (sizes set when assembled)

    def index(self, name: str) -> int:
        return next(i for i, m in enumerate(self.members) if m.name == name)


def split(book: bytes) -> Zipped:
    """The members of a zip as zipfile writes it to a seekable file (no zip64, no comment,
    no data descriptors); ValueError for anything else."""
    end = book[-_END_SIZE:]
    if len(book) < _END_SIZE or end[:4] != _END:
        raise ValueError("not a zip without a comment")
    disk, first_disk, here, count, size, offset, comment = struct.unpack("<4H2LH", end[4:])
    if disk or first_disk or here != count or comment or offset + size != len(book) - _END_SIZE:
        raise ValueError("a zip of several disks, with a comment or with zip64 records")
    members = []
    at = offset
    for _ in range(count):
        if book[at : at + 4] != _CENTRAL:
            raise ValueError("a damaged central directory")
        flags, method = struct.unpack("<2H", book[at + 8 : at + 12])
        compressed, = struct.unpack("<L", book[at + 20 : at + 24])
        name_length, extra_length, comment_length = struct.unpack("<3H", book[at + 28 : at + 34])
        header, = struct.unpack("<L", book[at + 42 : at + 46])
        central = book[at : at + 46 + name_length + extra_length + comment_length]
        at += len(central)
        if flags & _DATA_DESCRIPTOR or method != _DEFLATED or book[header : header + 4] != _LOCAL:
            raise ValueError("a member stored otherwise than zipfile deflates it")
        local_name, local_extra = struct.unpack("<2H", book[header + 26 : header + 30])
        start = header + 30 + local_name + local_extra
        name = central[46 : 46 + name_length].decode("utf-8" if flags & 0x800 else "cp437")
        members.append(Member(name, book[header:start], book[start : start + compressed], central))
    return Zipped(tuple(members), end)


def deflated(member: Member, content: bytes) -> Member:
    """`member` holding `content` instead, deflated as zipfile deflates (default level)."""
    if len(content) > _LIMIT:
        raise ValueError(f"{member.name} is too large to stamp")
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    sizes = struct.pack("<3L", zlib.crc32(content), len(data), len(content))
    return Member(member.name, member.local[:14] + sizes + member.local[26:], data,
                  member.central[:16] + sizes + member.central[28:])  # fmt: skip


def assemble(zipped: Zipped, replaced: dict[int, Member]) -> bytes:
    """The zip's bytes with the members at the given positions replaced."""
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for i, member in enumerate(zipped.members):
        member = replaced.get(i, member)
        central.append(member.central[:42] + struct.pack("<L", offset) + member.central[46:])
        parts += (member.local, member.data)
        offset += len(member.local) + len(member.data)
    directory = b"".join(central)
    end = zipped.end[:12] + struct.pack("<2L", len(directory), offset) + zipped.end[20:]
    return b"".join(parts) + directory + end
