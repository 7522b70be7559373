import sys
for line in sys.stdin:
    if line.startswith('=='): print(line.strip()); continue
    k,v=line.split(':',1); xs=v.split()
    if k.startswith('stall'): b=[int(x) for x in xs]; print(' stall fails(<8):',sum(x<8 for x in b),'min',min(b))
    elif k.startswith('halve'):
        t=[x.split('/') for x in xs]; print(' halve before-out-of-9..16:',sum(not 9<=int(a)<=16 for a,_,_ in t),' calls>300 or never:',sum(int(c)>300 or int(c)<0 for _,_,c in t), 'calls', sorted(int(c) for _,_,c in t))
    else:
        t=[x.split('/') for x in xs]; m=[float(a) for a,_ in t]; lo=[int(b) for _,b in t]; print(' rise mean out [16,30]:',sum(not 16<=x<=30 for x in m),'range',min(m),max(m),' lowest<4:',sum(x<4 for x in lo))
