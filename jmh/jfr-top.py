#!/usr/bin/env python3
"""Top methods by self samples per thread in a JFR recording (jdk.ExecutionSample), skipping the first seconds.
usage: jfr-top.py FILE.jfr [skip_seconds] [top_n]"""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
skip = float(sys.argv[2]) if len(sys.argv) > 2 else 0
top = int(sys.argv[3]) if len(sys.argv) > 3 else 15


def seconds(stamp):
    h, m, s = stamp.split(':')
    return int(h) * 3600 + int(m) * 60 + float(s)


def role(thread):
    if thread == 'main':
        return 'pushing thread (main)'
    if thread == 'fanout-reader':
        return 'reader (fanout-reader)'
    if 'loop' in thread.lower() or thread.startswith(('epoll', 'nio', 'netty')):
        return 'event loop (' + thread + ')'
    return 'other (' + thread + ')'


text = subprocess.run(['jfr', 'print', '--stack-depth', '2', '--events', 'jdk.ExecutionSample', path],
                      capture_output=True, text=True, check=True).stdout
samples = []
for block in text.split('jdk.ExecutionSample {')[1:]:
    stamp = re.search(r'startTime = (\S+)', block).group(1)
    thread = re.search(r'sampledThread = "([^"]*)"', block).group(1)
    frames = [line.strip() for line in block.split('stackTrace = [', 1)[1].splitlines()
              if line.strip() not in ('', ']', '}', '...')]
    method = re.sub(r'\(.*', '', frames[0]) if frames else '?'
    samples.append((seconds(stamp), role(thread), method))
if not samples:
    sys.exit('no execution samples in ' + path)
start = min(s[0] for s in samples)
by_thread = collections.defaultdict(collections.Counter)
for t, thread, method in samples:
    if t - start >= skip:
        by_thread[thread][method] += 1
for thread, counts in sorted(by_thread.items(), key=lambda kv: -sum(kv[1].values())):
    total = sum(counts.values())
    print(f'--- {thread}: {total} samples ---')
    for method, n in counts.most_common(top):
        print(f'  {100 * n / total:5.1f}%  {method}')
