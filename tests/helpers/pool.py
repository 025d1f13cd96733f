"""A Python program with a pool of each kind (tests/e2e/roles.sh): two
workers forked by multiprocessing's fork start method, one spawned
process (with its resource tracker), then a checkpoint so that shmviz
samples them all, answered before anything ends (docs/protocol.md). It
prints "fork PID", "spawn PID" for the test to know them."""
import multiprocessing as mp
import os
import select
import time


def nap(s):
    time.sleep(s)


def main():
    fork = mp.get_context("fork").Pool(2)
    sp = mp.get_context("spawn").Process(target=nap, args=(60,))
    sp.start()
    for w in fork._pool:
        print("fork", w.pid)
    print("spawn", sp.pid, flush=True)
    # the pool's workers are up once they answered
    fork.map(abs, range(4))
    fd, ack = os.environ.get("SHMVIZ_PHASE_FD"), os.environ.get("SHMVIZ_ACK_FD")
    if fd and ack:
        os.write(int(fd), b"checkpoint\n")
        select.select([int(ack)], [], [], 30)
        os.read(int(ack), 1)
    sp.terminate()
    sp.join()
    fork.terminate()
    fork.join()


if __name__ == "__main__":
    main()
