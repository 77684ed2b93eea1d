# SPDX-License-Identifier: GPL-2.0
"""A small QMP client: JSON lines over QEMU's Unix socket (no PyPI here)."""

import json
import socket
import time


class QMPError(Exception):
    pass


class QMP:
    def __init__(self, path, timeout=30):
        self.events = []
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.sock.close()
                if time.time() > deadline:
                    raise QMPError(f'no QMP socket at {path}')
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.buf = b''
        greeting = self._read()
        if 'QMP' not in greeting:
            raise QMPError(f'unexpected greeting {greeting}')
        self.cmd('qmp_capabilities')

    def _read(self):
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise QMPError('QMP connection closed')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def cmd(self, name, **args):
        """Run a command; events that arrive meanwhile are kept."""
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.sock.sendall(json.dumps(msg).encode() + b'\n')
        while True:
            reply = self._read()
            if 'event' in reply:
                self.events.append(reply)
                continue
            if 'error' in reply:
                raise QMPError(f'{name}: {reply["error"].get("desc")}')
            return reply.get('return')

    def wait_event(self, name, timeout=30, match=None):
        """The first event called name (and matching match(data)), or None."""
        deadline = time.time() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev['event'] == name and (match is None or
                                            match(ev.get('data', {}))):
                    return self.events.pop(i)
            left = deadline - time.time()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                reply = self._read()
            except (socket.timeout, TimeoutError):
                return None
            if 'event' in reply:
                self.events.append(reply)

    def close(self):
        self.sock.close()
