"""The query worker's message framing, over a real socket pair (what multiprocessing's Pipe is)."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from server.worker import read_message, send_message


@pytest.mark.parametrize("size", [0, 1, 65_527, 65_528, 65_536, 3_000_000])
def test_messages_of_any_size_arrive_whole(size: int) -> None:
    """Sizes around the first read (64 KiB with the 8-byte prefix) and far beyond the pipe's buffer."""
    data = os.urandom(size)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        writer = threading.Thread(target=send_message, args=(ours.fileno(), data))
        writer.start()
        received = read_message(theirs.fileno())
        writer.join()
    assert received == data


def test_two_messages_in_turn() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        send_message(ours.fileno(), b"first")
        assert read_message(theirs.fileno()) == b"first"
        send_message(theirs.fileno(), b"second")
        assert read_message(ours.fileno()) == b"second"


def test_a_closed_end_is_eof() -> None:
    ours, theirs = socket.socketpair()
    ours.close()
    with theirs, pytest.raises(EOFError):
        read_message(theirs.fileno())
