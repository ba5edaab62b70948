# Sums JFR allocation samples (jfr print --events jdk.ObjectAllocationSample output) by the first
# io.tollgate frame of each stack ("other:" + the top frame when none), and by class.
import re,sys,collections
txt=open(sys.argv[1]).read()
mode=sys.argv[2] if len(sys.argv)>2 else 'tollgate'
ev=txt.split('jdk.ObjectAllocationSample')
by=collections.Counter(); cls=collections.Counter(); tot=0
for e in ev[1:]:
    m=re.search(r'weight = ([\d.]+) (bytes|kB|MB|GB)',e)
    if not m: continue
    w=float(m.group(1))*{'bytes':1,'kB':1024,'MB':1<<20,'GB':1<<30}[m.group(2)]
    tot+=w
    c=re.search(r'objectClass = (\S+)',e).group(1)
    frames=re.findall(r'^\s+([\w.$<>]+)\(',e,re.M)
    key=None
    for f in frames:
        if f.startswith('io.tollgate'):
            key=f;break
    by[key or ('other:'+ (frames[0] if frames else '?'))]+=w
    cls[c]+=w
print('total MB',tot/1e6)
for k,v in by.most_common(40): print('%5.1f%% %s'%(100*v/tot,k))
print('--- classes')
for k,v in cls.most_common(15): print('%5.1f%% %s'%(100*v/tot,k))
