"""`sayembara demo` and `serve` say plainly when their port is taken."""

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.fixture
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_command_with_a_taken_port_says_how_to_choose_another(busy_port, command):
    with pytest.raises(CommandError) as refused:
        call_command(command, "--port", str(busy_port))
    message = str(refused.value)
    assert f"Port {busy_port}" in message and "already in use" in message
    assert f"sayembara {command} --port {busy_port + 1}" in message
