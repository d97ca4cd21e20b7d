#!/usr/bin/env python3
"""Writes the seed corpus of the byte targets from the byte-exact test vectors in tests/KernelIpsec.Tests
(charon's datagrams, the kernel's XFRM notifications and iproute2's XFRM messages, af_key's PF_KEY answers) and
the text targets from the sample configurations in tests/. Run from the repository root; idempotent."""
import os, re, struct, shutil

ROOT = os.getcwd()
T = os.path.join(ROOT, "tests/KernelIpsec.Tests")
OUT = os.path.join(ROOT, "tests/KernelIpsec.Fuzz/corpus")
XFRM = {"NEWSA": 16, "DELSA": 17, "GETSA": 18, "NEWPOLICY": 19, "DELPOLICY": 20, "GETPOLICY": 21, "ALLOCSPI": 22,
        "ACQUIRE": 23, "EXPIRE": 24, "UPDPOLICY": 25, "UPDSA": 26, "POLEXPIRE": 27, "FLUSHSA": 28, "FLUSHPOLICY": 29,
        "MAPPING": 38}

def consts(path):
    """(preceding comment, name, hex) of every `const string NAME = "hex" + "hex";` in a C# file."""
    text = open(path).read()
    for m in re.finditer(r'((?://[^\n]*\n\s*|///[^\n]*\n\s*)*)public const string (\w+) =\s*((?:"[0-9a-f]*"\s*\+?\s*)+);', text):
        yield m.group(1), m.group(2), "".join(re.findall(r'"([0-9a-f]*)"', m.group(3)))

def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, name), "wb").write(data)

# isakmp: charon's datagrams (phase 1 in the clear, the encrypted rest as the reader sees it)
n = 0
for m in re.finditer(r"\('([ir])', \"([0-9a-f]+)\"\)", open(os.path.join(T, "Ike/Wire/Vectors/CharonCaptures.cs")).read()):
    data = bytes.fromhex(m.group(2))
    if n < 16:
        write("isakmp", f"charon-{n:02d}-{m.group(1)}", data)
    n += 1

# xfrm: a nlmsghdr (length, type, flags, seq 7, pid 0) before each captured body
for path in ["Netlink/Xfrm/KernelNotificationCaptures.cs", "Netlink/Xfrm/IpXfrmCaptures.cs"]:
    for comment, name, hexa in consts(os.path.join(T, path)):
        t = re.search(r"XFRM_MSG_(\w+)", comment)
        if not t or t.group(1) not in XFRM:
            continue
        body = bytes.fromhex(hexa)
        write("xfrm", name, struct.pack("<IHHII", 16 + len(body), XFRM[t.group(1)], 0, 7, 0) + body)
done = struct.pack("<IHHII", 20, 3, 2, 7, 0) + b"\0" * 4
error = struct.pack("<IHHII", 36, 2, 0, 7, 0) + struct.pack("<i", -17) + b"\0" * 16
write("xfrm", "done", done)
write("xfrm", "error-eexist", error)

# pfkey: af_key's answers as received
for comment, name, hexa in consts(os.path.join(T, "Netlink/PfKey/AfKeyCaptures.cs")):
    write("pfkey", name, bytes.fromhex(hexa))

# text targets: the sample configurations
def copy(target, src, name):
    write(target, name, open(os.path.join(ROOT, src), "rb").read())

copy("racoon-conf", "tests/scenarios/seed/racoon.conf", "seed-racoon.conf")
copy("setkey", "tests/scenarios/seed/setkey.conf", "seed-setkey.conf")
for f in sorted(os.listdir(os.path.join(ROOT, "tests/golden/setkey/scripts"))):
    copy("setkey", f"tests/golden/setkey/scripts/{f}", f)
