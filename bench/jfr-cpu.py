# Sums JFR CPU samples (jfr print --events jdk.ExecutionSample output): by own (top) frame, by the
# first io.tollgate frame of each stack, and inclusive by io.tollgate method (a method counted once per stack).
import re, sys, collections
txt = open(sys.argv[1]).read()
top = collections.Counter(); first = collections.Counter(); incl = collections.Counter(); total = 0
for e in txt.split('jdk.ExecutionSample')[1:]:
    frames = re.findall(r'^\s+([\w.$<>]+)\(', e, re.M)
    if not frames: continue
    total += 1
    top[frames[0]] += 1
    own = next((f for f in frames if f.startswith('io.tollgate')), None)
    first[own or 'other: ' + frames[-1]] += 1
    for f in set(frames):
        if f.startswith('io.tollgate'): incl[f] += 1
print('samples', total)
for title, c, n in (('own frame', top, 30), ('first io.tollgate frame (else the bottom frame)', first, 30),
                    ('inclusive io.tollgate methods', incl, 40)):
    print('---', title)
    for k, v in c.most_common(n): print('%5.1f%% %s' % (100 * v / total, k))
