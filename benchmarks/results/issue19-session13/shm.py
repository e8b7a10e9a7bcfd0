import struct, sys, time
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
for i in range(n):
    b = open(f, 'rb').read(136)
    mx = struct.unpack('=I', b[16:20])[0]
    nb = struct.unpack('=I', b[96:100])[0]
    marks = struct.unpack('=5I', b[100:120])
    nba = struct.unpack('=I', b[128:132])[0]
    print(f'mxFrame {mx} nBackfill {nb} attempted {nba} readmarks {marks}')
    time.sleep(0.1)
