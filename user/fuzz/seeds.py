#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Writes the fuzz targets' seed corpora, user/fuzz/corpus/<target>/seed-*:
# small well-formed inputs in each target's input format (see the header
# comment of each fuzz_<target>.c), from which libFuzzer mutates.  Run
# from anywhere; it rewrites only the seed-* files.  Inputs of findings
# are kept beside them as crash-* files and never rewritten.
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# include/uapi/linux/skbstat.h
CMD_STATUS, CMD_DROPS, CMD_FLOWS, CMD_QUEUES, CMD_REASONS, CMD_RESET = 0, 1, 2, 3, 4, 5
A_VERSION, A_HOOK, A_DROP, A_FLOW, A_QUEUE, A_REASON = 2, 3, 4, 5, 6, 7
FAMILY = 0x30
NLM_F_MULTI, NLM_F_ACK_TLVS = 0x2, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3


def attr(kind, payload):
    data = struct.pack('<HH', 4 + len(payload), kind) + payload
    return data + b'\0' * (-len(data) % 4)


def u8(kind, v): return attr(kind, struct.pack('<B', v))
def u16(kind, v): return attr(kind, struct.pack('<H', v))
def u32(kind, v): return attr(kind, struct.pack('<I', v))
def u64(kind, v): return attr(kind, struct.pack('<Q', v))
def string(kind, s): return attr(kind, s + b'\0')
def nest(kind, *attrs): return attr(kind, b''.join(attrs))


def hook(hid, name):
    return nest(A_HOOK, u32(2, hid), string(3, name), u8(4, 1), u32(5, 1), u64(6, 1000),
                u64(7, 64000), u64(8, 0), u32(9, 12), u32(10, 65536), u32(11, 1))


def drop(reason, location, dev):
    return nest(A_DROP, u32(2, reason), string(3, location), u32(4, 2), string(5, dev),
                u32(6, 4026531840), u16(7, 0x0800), u64(8, 2**64 - 1), u64(9, 1500))


def flow(family, addr_len):
    return nest(A_FLOW, u32(2, 4026531840), u8(3, family), attr(4, b'\x0a' * addr_len),
                attr(5, b'\x0b' * addr_len), u16(6, 443), u16(7, 51000), u64(8, 3),
                u64(9, 4500), u8(10, 1), u64(11, 1), u64(12, 2), u64(13, 3))


def queue(dev):
    hist = nest(7, *(u64(b + 1, b * 3) for b in range(17)))
    return nest(A_QUEUE, u32(2, 4026531840), u32(3, 2), string(4, dev), u16(5, 1),
                u64(6, 10), u64(7, 15000), hist)


def reason(rid, name):
    return nest(A_REASON, u32(2, rid), string(3, name))


REPLIES = {
    CMD_STATUS: u32(A_VERSION, 1) + hook(0, b'skb:kfree_skb') + hook(2, b'net:net_dev_queue'),
    CMD_DROPS: drop(2, b'kfree_skb_reason+0x1a/0x40', b'eth0') +
    drop(3, b'__udp4_lib_rcv+0x5b2/0xa90', b'veth\xff'),
    CMD_FLOWS: flow(2, 4) + flow(10, 16) + nest(A_FLOW, u8(3, 0), u16(6, 0), u16(7, 0),
                                                u64(8, 9)),
    CMD_QUEUES: queue(b'eth0'),
    CMD_REASONS: reason(2, b'NOT_SPECIFIED') + reason(3, b'NO_SOCKET'),
}


def nlmsg(kind, flags, payload):
    return struct.pack('<IHHII', 16 + len(payload), kind, flags, 1, 0) + payload


def genl(cmd, attrs):
    return nlmsg(FAMILY, NLM_F_MULTI, struct.pack('<BBH', cmd, 1, 0) + attrs)


def datagram(*msgs):
    data = b''.join(msgs)
    return struct.pack('<H', len(data)) + data


def done(error=0):
    return nlmsg(NLMSG_DONE, NLM_F_MULTI, struct.pack('<i', error))


def error(errno, msg):
    request = struct.pack('<IHHII', 20, FAMILY, 5, 1, 0)
    return nlmsg(NLMSG_ERROR, 0x100 | NLM_F_ACK_TLVS,
                 struct.pack('<i', -errno) + request + string(1, msg))


def btf(kind, values):
    strings = b'\0skb_drop_reason\0'
    types = b''
    members = b''
    for name, value in values:
        off = len(strings)
        strings += name + b'\0'
        if kind == 6:
            members += struct.pack('<II', off, value & 0xffffffff)
        else:
            members += struct.pack('<III', off, value & 0xffffffff, value >> 32)
    size = 4 if kind == 6 else 8
    types = struct.pack('<III', 1, (kind << 24) | len(values), size) + members
    header = struct.pack('<HBBIIIII', 0xeb9f, 1, 0, 24, 0, len(types), len(types),
                         len(strings))
    return header + types + strings


KALLSYMS = (b'ffffffff81000000 T _stext\n'
            b'ffffffff81002000 T kfree_skb_reason\n'
            b'ffffffff81002000 T kfree_skb_reason_alias\n'
            b'ffffffff81003000 W weak_function\n'
            b'ffffffff81005000 T _etext\n'
            b'ffffffff81006000 D some_data\n'
            b'ffffffff82000100 t init_function\n'
            b'ffffffff82001000 T _einittext\n'
            b'ffffffffc0002000 t nft_do_chain\t[nf_tables]\n'
            b'ffffffffc0010000 t bpf_prog_6deef7357e7b4530_drops\t[bpf]\n')
MODULES = b'nf_tables 307200 0 - Live 0xffffffffc0002000\nudp_tunnel 32768 1 - Live 0x0\n'

REASONS = [(b'SKB_NOT_DROPPED_YET', 0), (b'SKB_CONSUMED', 1),
           (b'SKB_DROP_REASON_NOT_SPECIFIED', 2), (b'SKB_DROP_REASON_NO_SOCKET', 3),
           (b'SKB_DROP_REASON_MAX', 4), (b'SKB_DROP_REASON_SUBSYS_MASK', 0xffff0000)]

ARGS = [
    (1, [b'--by', b'reason,dev', b'--top', b'5', b'--netns', b'4026531840']),
    (1, [b'-i', b'0.5', b'-c', b'3', b'--dev', b'eth0', b'--reason', b'NO_SOCKET', b'-j']),
    (3, [b'--dev=eth0', b'--netns', b'blue', b'-o', b'openmetrics']),
    (5, [b'drops', b'-b', b'bpf']),
    (6, [b'--mode', b'kprobe', b'--drop-rows', b'1024']),
    (4, [b'-i', b'1', b'--by', b'reason,location,dev,netns,proto']),
]

# bcrypt of "secret" at cost 4, as fuzz_http_request.c's second server has it.
SECRET_HASH = b'$2y$04$tttsAFZd3gVbmYw/i6AnKe.o.H8R.lepUW5DG4t9.qo0JhsX4jpfy'

CORPORA = {
    'kmod_reply': [bytes([cmd]) + attrs for cmd, attrs in REPLIES.items()],
    'genl_client': [
        bytes([CMD_DROPS << 1 | 1]) + datagram(genl(CMD_DROPS, REPLIES[CMD_DROPS])) +
        datagram(done()),
        bytes([CMD_QUEUES << 1 | 1]) + datagram(genl(CMD_QUEUES, REPLIES[CMD_QUEUES]),
                                                done(-4)),
        bytes([CMD_STATUS << 1]) + datagram(genl(CMD_STATUS, REPLIES[CMD_STATUS])) +
        datagram(nlmsg(NLMSG_ERROR, 0x100, struct.pack('<i', 0) +
                       struct.pack('<IHHII', 20, FAMILY, 5, 1, 0))),
        bytes([CMD_RESET << 1]) + datagram(error(1, b'the module is busy')),
    ],
    'kallsyms': [KALLSYMS, KALLSYMS + b'\0' + MODULES],
    'btf_reasons': [btf(6, REASONS), btf(19, REASONS + [(b'SKB_DROP_REASON_BIG', 2**40)])],
    'pins': [bytes([m]) + struct.pack('<III', t, k, v)
             for m, t, k, v in [(0, 2, 4, 4), (1, 6, 4, 48), (2, 12, 4, 4), (3, 5, 24, 16)]],
    'cli_args': [bytes([cmd]) + b'\0'.join(args) for cmd, args in ARGS],
    'output': [bytes(range(256)), bytes(range(255, -1, -1)) * 2,
               b'\x02\x01eth0\xff\x01\x05\x03veth\x1b[2J' + b'\xff' * 200],
    'web_config': [
        b'',
        b'basic_auth_users:\n  prometheus: ' + SECRET_HASH + b'\n',
        b'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n'
        b'basic_auth_users:\n  a: ' + SECRET_HASH + b'\n  b: ' + SECRET_HASH + b'\n',
        b'tls_server_config:\n  client_ca_file: ca.crt\n',
        b'basic_auth_users: [a, b]\n',
        # A cost bcrypt has not (99) is refused; one that takes hours (31) is not ours to refuse.
        b'basic_auth_users:\n  a: $2y$99$' + SECRET_HASH[7:] + b'\n  b: $2y$31$' +
        SECRET_HASH[7:] + b'\n',
    ],
    'http_request': [
        b'\0GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text; '
        b'version=1.0.0;q=0.9, text/plain;q=0.5\r\nAccept-Encoding: gzip\r\n\r\n',
        b'\1GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic '
        b'cHJvbWV0aGV1czpzZWNyZXQ=\r\n\r\n',
        b'\1GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic eDp5\r\n\r\n',
        b'\0POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc',
        b'\0GET /../../etc/passwd HTTP/1.0\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n',
        b'\0GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
        b'3\r\nabc\r\n0\r\n\r\n',
    ],
}

for target, seeds in CORPORA.items():
    folder = os.path.join(HERE, 'corpus', target)
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.startswith('seed-'):
            os.remove(os.path.join(folder, name))
    for i, seed in enumerate(seeds):
        with open(os.path.join(folder, 'seed-%d' % i), 'wb') as f:
            f.write(seed)
