"""A remote file stream reads as a local file does: read(n) gives n bytes unless the file ends."""

import io
import typing

from inspecpy.ml.reader import BoundedReader, Limits
from inspecpy.targets.shell_files import WindowedReader

DATA = bytes(range(256)) * 1000


class Memory(WindowedReader):
    def _read_at(self, offset, count, within_size):
        return DATA[offset:offset + count]


def test_a_read_across_a_window_boundary_is_not_short():
    stream = Memory(len(DATA), "mem")
    first = stream.read(WindowedReader.FIRST - 3)  # leaves 3 bytes of the first window
    assert stream.read(10) == DATA[len(first):len(first) + 10]
    assert stream.read() == DATA[len(first) + 10:]
    assert stream.read(5) == b""


def test_a_bounded_scan_does_not_see_a_truncated_file():
    reader = BoundedReader(Memory(len(DATA), "mem"), Limits())
    reader.read(WindowedReader.FIRST - 3)
    assert reader.read(10) == DATA[WindowedReader.FIRST - 3:WindowedReader.FIRST + 7]


def test_it_is_a_binary_stream_without_a_local_name():
    stream = Memory(len(DATA), "/var/lib/model.bin")
    assert isinstance(stream, typing.BinaryIO) and isinstance(stream, io.RawIOBase)
    assert not hasattr(stream, "name") and not hasattr(stream, "mode")  # nothing reopens the path locally
    stream.seek(-22, io.SEEK_END)
    assert stream.read() == DATA[-22:]
