"""pty_run.py - a program with its stderr on a pseudo-terminal.

  pty_run.py OUT ERR PIDFILE MARK MARKFILE PROGRAM ARGS...

Runs PROGRAM with stdout into OUT, stdin from /dev/null and stderr on a
pseudo-terminal whose bytes go to ERR when it ends. PIDFILE (unless "-")
gets its pid at once; MARKFILE (unless MARK is "-") is created as soon as
the bytes read so far match the regular expression MARK: the moment a
test waits for. Exit status: the program's, 128 + N for signal N.
"""
import os, pty, re, sys

out, err, pidf, mark, markf = sys.argv[1:6]
argv = sys.argv[6:]
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
    os.dup2(slave, 2)
    os.dup2(os.open("/dev/null", os.O_RDONLY), 0)
    os.execv(argv[0], argv)
os.close(slave)
if pidf != "-":
    with open(pidf, "w") as f:
        f.write(str(pid))
pattern = re.compile(mark.encode()) if mark != "-" else None
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
    if pattern and pattern.search(data):
        open(markf, "w").close()
        pattern = None
_, status = os.waitpid(pid, 0)
with open(err, "wb") as f:
    f.write(data)
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)
