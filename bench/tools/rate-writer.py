"""Writes to a file at a fixed rate, WRITE bytes per write() call: rate-writer.py BYTES_PER_S SECONDS FILE WRITE.

With bench/tools/wakeup-probe.c (see there), it shows what one large write() into new page-cache pages costs the
other threads on a kernel without preemption (docs/performance.md). The file is left behind: delete it.
"""
import mmap
import os
import sys
import time

rate, seconds, path, size = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
buffer = mmap.mmap(-1, size)
buffer.write(b"\1" * size)
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
begin = time.monotonic()
written = 0
while time.monotonic() - begin < seconds:
    due = int((time.monotonic() - begin) * rate)
    while written < due:
        os.write(fd, buffer)
        written += size
    time.sleep(0.002)
os.close(fd)
print("wrote", written >> 20, "MiB in", size, "byte calls")
